/** Manifest paths (CSV rows, `pairs.txt` identities, `model.json` weight paths) kept inside their data root. */
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** A path named by a manifest that would be read from outside the manifest's root folder. */
export class PathOutsideRootError extends Error {
  override name = 'PathOutsideRootError';

  constructor(
    /** The path as the manifest wrote it. */
    readonly path: string,
    /** The root folder it must stay inside. */
    readonly root: string,
    reason: string,
  ) {
    super(`'${path}' ${reason}`);
  }
}

/** Options of {@link resolveInside}. */
export interface ResolveInsideOptions {
  /** Accept absolute paths as they are (default false: an absolute path is a {@link PathOutsideRootError}). */
  allowAbsolute?: boolean;
}

/**
 * Resolves `path`, as written in a manifest, against the manifest's `root` folder, and checks that the result
 * stays inside `root`: a relative path that climbs out of it (`../../etc/passwd`) is always a
 * {@link PathOutsideRootError}, and an absolute path is one unless `allowAbsolute`. The check is on the path's
 * text (symbolic links inside `root` are followed when the file is opened, as the data's owner laid them out).
 */
export function resolveInside(root: string, path: string, options: ResolveInsideOptions = {}): string {
  if (path.includes('\0')) throw new PathOutsideRootError(path, root, 'contains a NUL byte');
  if (isAbsolute(path)) {
    if (options.allowAbsolute) return resolve(path);
    throw new PathOutsideRootError(path, root, `is absolute; only paths inside ${root} are read unless absolute paths are allowed (allowAbsolute)`);
  }
  const base = resolve(root);
  const full = resolve(base, path);
  const rel = relative(base, full);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new PathOutsideRootError(path, root, `resolves outside ${root}`);
  }
  return full;
}
