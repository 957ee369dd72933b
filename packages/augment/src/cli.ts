#!/usr/bin/env node
/** facelab-augment: fit a learned augmentation on frame sequences and generate augmentations. */
import { CommanderError } from 'commander';
import { buildProgram } from './cli/program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  // Commander has already printed its own usage errors and help.
  if (!(err instanceof CommanderError)) console.error(`facelab-augment: ${(err as Error).message}`);
  process.exitCode = err instanceof CommanderError ? err.exitCode : 1;
}
