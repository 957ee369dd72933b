/**
 * Malformed-input corpus of the annotation parsers: iBUG `.pts` landmark files and LFW `pairs.txt`. Every
 * error names the file and line.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMalformed, type MalformedCase } from '@facelab/test-utils';
import { afterAll, beforeAll, expect } from 'vitest';
import { parsePairs, parsePts, readPairs, readPts } from '../src/index.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'malformed-annotations-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const pts = (points: string[], head = 'version: 1\nn_points: ' + points.length) => `${head}\n{\n${points.join('\n')}\n}\n`;
const good = pts(['1 2', '3.5 4.25', '5 6']);

const badPoints = ['0x10 5', '5 0x10', '0b1 1', '1 Infinity', 'NaN 1', '1', '1 2 3', '1,2', '1e 2', 'x y', '1_0 2', '0o7 1'];
const ptsCases: MalformedCase[] = [
  ...badPoints.map((point) => ({
    name: `.pts point '${point}'`,
    run: () => parsePts(pts(['1 2', point, '5 6']), 'face.pts'),
    error: `face.pts:5: expected 'x y' (two numbers), got '${point}'`,
  })),
  ...['0x3', '-1', '2.5', 'three', '1e999', ''].map((n) => ({
    name: `.pts n_points '${n}'`,
    run: () => parsePts(pts(['1 2'], `version: 1\nn_points: ${n}`), 'face.pts'),
    error: n === '' ? "face.pts:2: expected 'key: value' or '{'" : `face.pts:2: n_points must be a count, got '${n}'`,
  })),
  { name: '.pts n_points larger than the points', run: () => parsePts(pts(['1 2'], 'n_points: 2'), 'f.pts'), error: 'f.pts:4: n_points is 2 but 1 points' },
  { name: '.pts n_points smaller than the points', run: () => parsePts(pts(['1 2', '3 4'], 'n_points: 1'), 'f.pts'), error: 'n_points is 1 but 2 points' },
  { name: '.pts without n_points', run: () => parsePts('version: 1\n{\n1 2\n}\n', 'f.pts'), error: "f.pts:2: missing 'n_points:'" },
  { name: '.pts without {', run: () => parsePts('n_points: 1\n1 2\n}\n', 'f.pts'), error: "f.pts:2: expected 'key: value' or '{'" },
  { name: '.pts without }', run: () => parsePts('n_points: 1\n{\n1 2\n', 'f.pts'), error: "missing closing '}'" },
  { name: '.pts text after }', run: () => parsePts(`${good}extra\n`, 'f.pts'), error: "f.pts:8: unexpected text after '}'" },
  { name: '.pts empty file', run: () => parsePts('', 'f.pts'), error: "f.pts:1: missing '{'" },
  { name: '.pts header line without colon', run: () => parsePts('version 1\nn_points: 0\n{\n}\n', 'f.pts'), error: "f.pts:1: expected 'key: value'" },
  { name: '.pts binary garbage', run: () => parsePts('\u0000\u00ff\u0001', 'f.pts'), error: 'f.pts:1: ' },
  { name: '.pts CRLF and blank lines read', run: () => parsePts(good.replaceAll('\n', '\r\n\r\n')), ok: (p) => expect(p).toEqual([[1, 2], [3.5, 4.25], [5, 6]]) },
  { name: '.pts zero points', run: () => parsePts('n_points: 0\n{\n}\n'), ok: (p) => expect(p).toEqual([]) },
  { name: '.pts missing file', run: () => readPts(join(dir, 'absent.pts')), error: 'absent.pts' },
  // Every truncation of a valid file either fails naming the file or (cut inside the trailing newline) reads it.
  ...Array.from({ length: good.length - 1 }, (_, k) => k + 1)
    .filter((cut) => !good.slice(0, cut).trimEnd().endsWith('}'))
    .map((cut) => ({ name: `.pts truncated at byte ${cut}`, run: () => parsePts(good.slice(0, cut), 'cut.pts'), error: 'cut.pts:' })),
];

const pairsFile = (lines: string[], head = '1\t1') => `${head}\n${lines.join('\n')}\n`;
const pairsCases: MalformedCase[] = [
  ...['0x1', '0b10', '1.0e0x', 'Infinity', '-1', '0', '1.5', 'two', '1 2 3', '0x1 1'].map((head) => ({
    name: `pairs header '${head}'`,
    run: () => parsePairs(pairsFile(['A 1 2', 'A 1 B 1'], head), 'pairs.txt'),
    error: "pairs.txt:1: header must be 'folds n' or 'n'",
  })),
  ...['0x2', '0b1', '0', '-3', '2.5', 'x', 'Infinity', '1e400'].map((index) => ({
    name: `pairs image number '${index}'`,
    run: () => parsePairs(pairsFile([`A 1 ${index}`, 'A 1 B 1']), 'pairs.txt'),
    error: `pairs.txt:2: image number must be a positive integer, got '${index}'`,
  })),
  ...['../../outside/x', '..', '.', 'a/b', '/etc', 'a\\b'].map((name) => ({
    name: `pairs identity '${name}' outside the image root`,
    run: () => parsePairs(pairsFile([`${name} 1 2`, 'A 1 B 1']), 'pairs.txt'),
    error: `pairs.txt:2: identity '${name}' is not a folder name`,
  })),
  { name: 'pairs different identity ../x on the right', run: () => parsePairs(pairsFile(['A 1 2', 'A 1 ../x 1']), 'p.txt'), error: "p.txt:3: identity '../x'" },
  { name: "pairs 'different' line naming one identity", run: () => parsePairs(pairsFile(['A 1 2', 'A 1 A 2']), 'p.txt'), error: "p.txt:3: a different-identity line names 'A' twice" },
  { name: 'pairs same line with 4 fields', run: () => parsePairs(pairsFile(['A 1 B 2', 'A 1 B 1']), 'p.txt'), error: 'p.txt:2: expected a same-identity line' },
  { name: 'pairs different line with 3 fields', run: () => parsePairs(pairsFile(['A 1 2', 'A 1 2']), 'p.txt'), error: 'p.txt:3: expected a different-identity line' },
  { name: 'pairs fewer lines than the header promises', run: () => parsePairs(pairsFile(['A 1 2']), 'p.txt'), error: 'header promises 2 pair lines, the file has 1' },
  { name: 'pairs more lines than the header promises', run: () => parsePairs(pairsFile(['A 1 2', 'A 1 B 1', 'A 1 2']), 'p.txt'), error: 'header promises 2' },
  { name: 'pairs empty file', run: () => parsePairs('', 'p.txt'), error: 'p.txt:1: empty file' },
  { name: 'pairs missing file', run: () => readPairs(join(dir, 'absent.txt')), error: 'absent.txt' },
  {
    name: 'pairs two folds with CRLF read',
    run: () => parsePairs('2 1\r\nA 1 2\r\nA 1 B 1\r\nC 2 3\r\nC 1 D 4\r\n'),
    ok: (p) => expect((p as { pairs: { fold: number; same: boolean }[] }).pairs.map((x) => [x.fold, x.same])).toEqual([[0, true], [0, false], [1, true], [1, false]]),
  },
  {
    name: 'pairs file read from disk',
    run: async () => {
      await writeFile(join(dir, 'ok.txt'), pairsFile(['A 1 2', 'A 1 B 1']));
      return readPairs(join(dir, 'ok.txt'));
    },
    ok: (p) => expect((p as { pairs: { b: { path: string } }[] }).pairs[1]!.b.path).toBe('B/B_0001.jpg'),
  },
];

describeMalformed('data .pts', ptsCases);
describeMalformed('data pairs.txt', pairsCases);
