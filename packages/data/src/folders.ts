/**
 * Folder-per-class (AFEW, FER-style) and folder-per-identity (LFW, CASIA-WebFace) layouts:
 * `root/<class>/<item>`. Classes are the sorted subfolder names; the label is the index in that list.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { messageOf } from '@facelab/runtime';

/** One item of a folder-per-class layout. */
export interface ClassFolderItem {
  path: string;
  label: number;
  className: string;
}

/** Options of {@link listClassFolders}. */
export interface ListClassFoldersOptions {
  /** Keep only files with these extensions (case-insensitive, with the dot); default: all files. */
  extensions?: string[];
  /** List files (default) or subfolders (e.g. one folder of frames per clip). */
  entries?: 'files' | 'dirs';
}

/** A listed layout: class names (sorted) and items sorted by class, then name. */
export interface ClassFolders {
  classes: string[];
  items: ClassFolderItem[];
}

interface Entry {
  name: string;
  dir: boolean;
  file: boolean;
}

/** Directory entries, with symbolic links resolved (datasets are often assembled from links). */
async function list(dir: string): Promise<Entry[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return await Promise.all(
      entries.map(async (e) => {
        if (!e.isSymbolicLink()) return { name: e.name, dir: e.isDirectory(), file: e.isFile() };
        const s = await stat(join(dir, e.name)).catch(() => undefined); // a dangling link is neither
        return { name: e.name, dir: s?.isDirectory() ?? false, file: s?.isFile() ?? false };
      }),
    );
  } catch (err) {
    throw new Error(`listClassFolders: cannot read '${dir}': ${messageOf(err)}`, { cause: err });
  }
}

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Lists `root/<class>/<item>`: class names, and every item with its label index. Hidden entries are skipped. */
export async function listClassFolders(root: string, options: ListClassFoldersOptions = {}): Promise<ClassFolders> {
  const exts = options.extensions?.map((e) => e.toLowerCase());
  const wantDirs = options.entries === 'dirs';
  const classes = (await list(root)).filter((e) => e.dir && !e.name.startsWith('.')).sort(byName);
  const items: ClassFolderItem[] = [];
  for (const [label, cls] of classes.entries()) {
    const entries = (await list(join(root, cls.name))).sort(byName);
    for (const e of entries) {
      if (e.name.startsWith('.') || (wantDirs ? !e.dir : !e.file)) continue;
      if (exts !== undefined && !exts.includes(extname(e.name).toLowerCase())) continue;
      items.push({ path: join(root, cls.name, e.name), label, className: cls.name });
    }
  }
  return { classes: classes.map((c) => c.name), items };
}
