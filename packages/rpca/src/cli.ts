#!/usr/bin/env node
/** facelab-rpca: robust PCA decompositions from the command line. */
import { CommanderError } from 'commander';
import { rpcaCliProgram } from './cli-program.js';

try {
  await rpcaCliProgram().parseAsync(process.argv);
} catch (err) {
  // Commander has already printed its own usage errors and help.
  if (!(err instanceof CommanderError)) console.error(`facelab-rpca: ${(err as Error).message}`);
  process.exitCode = err instanceof CommanderError ? err.exitCode : 1;
}
