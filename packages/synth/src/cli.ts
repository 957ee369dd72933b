#!/usr/bin/env node
/** Entry point of the `facelab-synth` command (see src/program.ts). */
import { silenceTfjsWarnings } from '@facelab/core-tensor';
import { runProgram } from '@facelab/runtime';
import { synthProgram } from './program.js';

silenceTfjsWarnings();
process.exitCode = await runProgram(synthProgram());
