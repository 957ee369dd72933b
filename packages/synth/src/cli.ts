#!/usr/bin/env node
// facelab-synth: synthetic face datasets on disk (see src/synth/program.ts).
import { synthProgram } from './program.js';

synthProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    console.error(`facelab-synth: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
