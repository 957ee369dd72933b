#!/usr/bin/env node
/** facelab-rpca: robust PCA decompositions from the command line. */
import { runProgram } from '@facelab/runtime';
import { rpcaCliProgram } from './cli-program.js';

process.exitCode = await runProgram(rpcaCliProgram());
