/**
 * Crash-safe file writes: data goes to a temp file in the target's directory, is fsynced, and is renamed over
 * the target. rename() within one directory is atomic on POSIX, so a reader (or a resumed run) sees either the
 * old file or the new one, never a half-written mix.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** What {@link writeFileAtomic} accepts: one buffer/string, or chunks streamed in order. */
export type AtomicData = string | Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** The temp-file name pattern used by {@link replaceFileAtomic}, so directory scans can skip leftovers. */
export const ATOMIC_TEMP_PATTERN = /^\..+\.[0-9a-f]{12}\.tmp$/;

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; some file systems refuse fsync on a directory, which is harmless here.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}

/**
 * Replaces `path` atomically with what `write` puts at the temp path it is given (a file in the same
 * directory): the temp file is fsynced and renamed over `path`. On any failure the temp file is removed, `path`
 * keeps its previous content and the error is rethrown. For writers that need a path (e.g. an encoder process).
 */
export async function replaceFileAtomic<T>(path: string, write: (tempPath: string) => Promise<T>): Promise<T> {
  const tmp = tempPathFor(path);
  let result: T;
  try {
    result = await write(tmp);
    const handle = await open(tmp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dirname(path));
  return result;
}

/**
 * Writes `data` to `path` atomically ({@link replaceFileAtomic}). On any failure (including an exception thrown
 * by a chunk iterator) the temp file is removed and `path` keeps its previous content.
 */
export async function writeFileAtomic(path: string, data: AtomicData): Promise<void> {
  let created = false;
  try {
    await replaceFileAtomic(path, async (tmp) => {
      let handle;
      try {
        handle = await open(tmp, 'wx');
      } catch (err) {
        throw new Error(`writeFileAtomic: cannot create a temp file for '${path}': ${(err as Error).message}`);
      }
      created = true;
      try {
        if (typeof data === 'string' || data instanceof Uint8Array) {
          await handle.writeFile(data);
        } else {
          for await (const chunk of data) await handle.write(chunk);
        }
      } finally {
        await handle.close();
      }
    });
  } catch (err) {
    if (!created) throw err;
    throw new Error(`writeFileAtomic: writing '${path}' failed: ${(err as Error).message}`, { cause: err });
  }
}
