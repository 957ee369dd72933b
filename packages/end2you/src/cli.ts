#!/usr/bin/env node
/** Entry point of the `facelab-end2you` command. */
import { buildProgram } from './cli/program.js';

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    console.error(`facelab-end2you: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
