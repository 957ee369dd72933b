/**
 * iBUG / 300-W landmark files (`.pts`):
 *   version: 1
 *   n_points: 68
 *   {
 *   x y        (one line per point; 300-W uses 1-based Matlab pixel coordinates — kept as written)
 *   }
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic, atLine, decimalNumber } from '@facelab/runtime';

/** A 2-D point `[x, y]`. */
export type Point2 = [number, number];

/** Parses the text of a `.pts` file; `file` names it in errors. */
export function parsePts(text: string, file = '<pts>'): Point2[] {
  const lines = text.split(/\r?\n/);
  let i = 0;
  const next = (): { line: number; text: string } | undefined => {
    while (i < lines.length) {
      const t = lines[i++]!.trim();
      if (t !== '') return { line: i, text: t };
    }
    return undefined;
  };
  let n: number | undefined;
  let cur = next();
  while (cur !== undefined && cur.text !== '{') {
    const m = /^([A-Za-z_]+)\s*:\s*(\S+)$/.exec(cur.text);
    if (m === null) throw atLine(file, cur.line, `expected 'key: value' or '{', got '${cur.text}'`);
    if (m[1] === 'n_points') {
      n = decimalNumber(m[2]!);
      if (!Number.isInteger(n) || n < 0) throw atLine(file, cur.line, `n_points must be a count, got '${m[2]}'`);
    }
    cur = next();
  }
  if (cur === undefined) throw atLine(file, lines.length, "missing '{' before the points");
  if (n === undefined) throw atLine(file, cur.line, "missing 'n_points:' header before '{'");
  const points: Point2[] = [];
  for (;;) {
    cur = next();
    if (cur === undefined) throw atLine(file, lines.length, "missing closing '}'");
    if (cur.text === '}') break;
    const parts = cur.text.split(/\s+/);
    const x = decimalNumber(parts[0]!);
    const y = decimalNumber(parts[1] ?? '');
    if (parts.length !== 2 || !Number.isFinite(x) || !Number.isFinite(y)) {
      throw atLine(file, cur.line, `expected 'x y' (two numbers), got '${cur.text}'`);
    }
    points.push([x, y]);
  }
  if (points.length !== n) throw atLine(file, cur.line, `n_points is ${n} but ${points.length} points were listed`);
  const extra = next();
  if (extra !== undefined) throw atLine(file, extra.line, `unexpected text after '}': '${extra.text}'`);
  return points;
}

/** Reads an iBUG/300-W `.pts` file into `[x, y]` points. */
export async function readPts(path: string): Promise<Point2[]> {
  return parsePts(await readFile(path, 'utf8'), path);
}

/** Formats points as `.pts` text. */
export function formatPts(points: readonly (readonly [number, number])[]): string {
  const body = points.map(([x, y]) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`writePts: non-finite point (${x}, ${y})`);
    return `${round(x)} ${round(y)}`;
  });
  return `version: 1\nn_points: ${points.length}\n{\n${body.join('\n')}\n}\n`;
}

// Three decimals is what 300-W ships; beyond it the text only grows.
function round(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

/** Writes points as an iBUG/300-W `.pts` file (3 decimals), atomically. */
export async function writePts(path: string, points: readonly (readonly [number, number])[]): Promise<void> {
  await writeFileAtomic(path, formatPts(points));
}
