/**
 * LFW `pairs.txt`: a header line `folds n` (10-fold View 2: n same then n different pairs per fold) or `n`
 * (View 1: n same then n different), then lines `name i j` (same identity) or `name1 i name2 j`
 * (different identities). Image i of `name` is `name/name_000i.jpg`.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic, atLine, decimalNumber } from '@facelab/runtime';

/** One image of an LFW pair: identity name and 1-based image number. */
export interface LfwImageRef {
  name: string;
  index: number;
  /** Relative path `name/name_0001.jpg`. */
  path: string;
}

/** One line of `pairs.txt`. */
export interface LfwPair {
  a: LfwImageRef;
  b: LfwImageRef;
  same: boolean;
  /** 0-based fold. */
  fold: number;
  /** 1-based line in the file. */
  line: number;
}

/** A parsed `pairs.txt`. */
export interface LfwPairs {
  folds: number;
  /** Same-identity pairs per fold (equal to the different-identity pairs per fold). */
  perFold: number;
  pairs: LfwPair[];
}

/** The relative image path LFW uses: `name/name_0001.jpg`. */
export function lfwImagePath(name: string, index: number): string {
  return `${name}/${name}_${String(index).padStart(4, '0')}.jpg`;
}

/** An identity is one folder name: no separators, not `.` or `..` (it must not lead outside the image root). */
function checkName(name: string, file: string, line: number): void {
  if (/[/\\\0]/.test(name) || name === '.' || name === '..') {
    throw atLine(file, line, `identity '${name}' is not a folder name (no '/', '\\', '.' or '..')`);
  }
}

function ref(name: string, index: string, file: string, line: number): LfwImageRef {
  checkName(name, file, line);
  const i = decimalNumber(index);
  if (!Number.isInteger(i) || i < 1) throw atLine(file, line, `image number must be a positive integer, got '${index}'`);
  return { name, index: i, path: lfwImagePath(name, i) };
}

/** Parses the text of an LFW `pairs.txt`; `file` names it in errors. */
export function parsePairs(text: string, file = '<pairs>'): LfwPairs {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length === 0) throw atLine(file, 1, 'empty file: expected a header `folds n` or `n`');
  const head = lines[0]!.trim().split(/\s+/).map(decimalNumber);
  if (head.length > 2 || head.some((v) => !Number.isInteger(v) || v < 1)) {
    throw atLine(file, 1, `header must be 'folds n' or 'n' (positive integers), got '${lines[0]}'`);
  }
  const [folds, perFold] = head.length === 2 ? [head[0]!, head[1]!] : [1, head[0]!];
  const expected = folds * 2 * perFold;
  if (lines.length - 1 !== expected) {
    throw atLine(file, lines.length, `header promises ${expected} pair lines, the file has ${lines.length - 1}`);
  }
  const pairs: LfwPair[] = [];
  for (let k = 0; k < expected; k++) {
    const line = k + 2;
    const parts = lines[k + 1]!.trim().split(/\s+/);
    const fold = Math.floor(k / (2 * perFold));
    const same = k % (2 * perFold) < perFold;
    if (same && parts.length === 3) {
      pairs.push({ a: ref(parts[0]!, parts[1]!, file, line), b: ref(parts[0]!, parts[2]!, file, line), same, fold, line });
    } else if (!same && parts.length === 4) {
      if (parts[0] === parts[2]) throw atLine(file, line, `a different-identity line names '${parts[0]}' twice`);
      pairs.push({ a: ref(parts[0]!, parts[1]!, file, line), b: ref(parts[2]!, parts[3]!, file, line), same, fold, line });
    } else {
      const want = same ? "a same-identity line 'name i j'" : "a different-identity line 'name1 i name2 j'";
      throw atLine(file, line, `expected ${want}, got '${lines[k + 1]}'`);
    }
  }
  return { folds, perFold, pairs };
}

/** Reads an LFW `pairs.txt` (or `pairsDevTrain.txt`-style file with a one-number header). */
export async function readPairs(path: string): Promise<LfwPairs> {
  return parsePairs(await readFile(path, 'utf8'), path);
}

/** One pair to write: two (name, image number) references. */
export interface LfwPairSpec {
  a: { name: string; index: number };
  b: { name: string; index: number };
}

/**
 * Formats pairs as `pairs.txt`. `folds` is a list of folds, each `{ same, different }` with equally many
 * pairs; with one fold and `oneNumberHeader`, the header is `n` (the View 1 shape).
 */
export function formatPairs(
  folds: readonly { same: readonly LfwPairSpec[]; different: readonly LfwPairSpec[] }[],
  options: { oneNumberHeader?: boolean } = {},
): string {
  if (folds.length === 0) throw new Error('writePairs: no folds');
  const n = folds[0]!.same.length;
  const out: string[] = [];
  folds.forEach((f, i) => {
    if (f.same.length !== n || f.different.length !== n) {
      throw new Error(`writePairs: fold ${i} has ${f.same.length} same / ${f.different.length} different pairs, expected ${n} each`);
    }
    for (const p of f.same) {
      if (p.a.name !== p.b.name) throw new Error(`writePairs: fold ${i}: same pair mixes '${p.a.name}' and '${p.b.name}'`);
      out.push(`${p.a.name}\t${p.a.index}\t${p.b.index}`);
    }
    for (const p of f.different) {
      if (p.a.name === p.b.name) throw new Error(`writePairs: fold ${i}: different pair has one identity '${p.a.name}'`);
      out.push(`${p.a.name}\t${p.a.index}\t${p.b.name}\t${p.b.index}`);
    }
  });
  const header = options.oneNumberHeader && folds.length === 1 ? `${n}` : `${folds.length}\t${n}`;
  return `${header}\n${out.join('\n')}\n`;
}

/** Writes an LFW `pairs.txt` atomically (see {@link formatPairs}). */
export async function writePairs(
  path: string,
  folds: readonly { same: readonly LfwPairSpec[]; different: readonly LfwPairSpec[] }[],
  options: { oneNumberHeader?: boolean } = {},
): Promise<void> {
  await writeFileAtomic(path, formatPairs(folds, options));
}
