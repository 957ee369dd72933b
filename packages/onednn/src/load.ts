/** Loads the addon built at install time, or says why it is not there. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { OneDnnBinding } from './binding.js';

const BUILD_HINT = 'build it with: apt-get install g++ libdnnl-dev && npm rebuild @facelab/onednn';

let binding: OneDnnBinding | undefined;

/** The addon's path: build/onednn.node beside dist/. */
export function addonPath(): string {
  return fileURLToPath(new URL('../build/onednn.node', import.meta.url));
}

/**
 * The oneDNN addon, loaded once. Throws one line with the reason when it was not built (the install script's
 * note) or does not load (e.g. libdnnl.so.2 removed since), and how to build it.
 */
export function loadOneDnn(): OneDnnBinding {
  if (binding !== undefined) return binding;
  const path = addonPath();
  if (!existsSync(path)) {
    const note = fileURLToPath(new URL('../build/not-built.txt', import.meta.url));
    const reason = existsSync(note) ? readFileSync(note, 'utf8').trim() : 'its install script has not run';
    throw new Error(`@facelab/onednn is not built (${reason}); ${BUILD_HINT}`);
  }
  try {
    binding = createRequire(import.meta.url)(path) as OneDnnBinding;
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(`@facelab/onednn does not load (${message}); ${BUILD_HINT}`);
  }
  return binding;
}
