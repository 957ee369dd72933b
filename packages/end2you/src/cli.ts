#!/usr/bin/env node
/** Entry point of the `facelab-end2you` command. */
import { silenceTfjsWarnings } from '@facelab/core-tensor';
import { runProgram } from '@facelab/runtime';
import { buildProgram } from './cli/program.js';

silenceTfjsWarnings();
process.exitCode = await runProgram(buildProgram());
