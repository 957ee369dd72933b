/**
 * Creating output folders without `mkdir(…, { recursive: true })`: on Node 20 that call never settles for a
 * path under a pseudo file system such as `/proc` (it retries ENOENT forever, a busy loop). Here the nearest
 * existing ancestor is found first and must be a folder; the missing levels are then made one at a time, each
 * a plain mkdir that fails with an error naming the folder.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

const codeOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

/** Whether `path` is a folder (false when it or a parent does not exist); an existing non-folder is an error. */
async function isFolder(path: string, dir: string, what: string): Promise<boolean> {
  try {
    if ((await stat(path)).isDirectory()) return true;
  } catch (err) {
    // ENOTDIR: a file above `path`, reported when the walk up reaches it.
    if (codeOf(err) === 'ENOENT' || codeOf(err) === 'ENOTDIR') return false;
    throw new Error(`${what}: cannot create folder '${dir}': ${(err as Error).message}`);
  }
  throw new Error(`${what}: cannot create folder '${dir}': '${path}' is not a folder`);
}

/**
 * Makes folder `dir` and its missing parents; `what` names the option or caller in errors (e.g.
 * `'train: checkpoint.dir'`). An existing folder is fine; a file in the way, a read-only or pseudo file
 * system is an Error naming `dir`.
 */
export async function ensureDir(dir: string, what: string): Promise<void> {
  const missing: string[] = [];
  for (let p = resolve(dir); !(await isFolder(p, dir, what)); p = dirname(p)) missing.unshift(p);
  for (const p of missing) {
    try {
      await mkdir(p);
    } catch (err) {
      if (codeOf(err) === 'EEXIST' && (await isFolder(p, dir, what))) continue; // made by a concurrent writer
      throw new Error(`${what}: cannot create folder '${dir}': ${codeOf(err) ?? (err as Error).message} at '${p}'`);
    }
  }
}
