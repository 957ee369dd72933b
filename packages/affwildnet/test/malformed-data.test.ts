/**
 * Malformed-input corpus of the annotation readers: released-format CSV rows (paths leaving the CSV's folder,
 * non-decimal or out-of-range labels, wrong field counts), OMG-Emotion rows, and per-frame annotation files.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PathOutsideRootError } from '@facelab/runtime';
import { describeMalformed, type MalformedCase } from '@facelab/test-utils';
import { afterAll, beforeAll, expect } from 'vitest';
import { readAffWildFolder } from '../src/data/affwild-folder.js';
import { readOmgCsv } from '../src/data/omg.js';
import { readAffWildCsv, readUtteranceCsv, type AffWildSequence } from '../src/data/released.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'malformed-affwild-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let n = 0;
/** Writes `text` as a fresh CSV and reads it with `read`. */
async function csv<T>(text: string, read: (path: string) => Promise<T>): Promise<T> {
  const path = join(dir, `f${n++}.csv`);
  await writeFile(path, text);
  return read(path);
}
const released = (text: string, options = {}) => csv(text, (p) => readAffWildCsv(p, { length: 1, ...options }));

const escapes = ['../../etc/passwd', '../x.jpg', 'frames/../../x.jpg', '..', 'a/../../b.jpg'];
const absolutes = ['/etc/passwd', '/tmp/x.jpg'];
const paths: MalformedCase[] = [
  ...escapes.map((p) => ({
    name: `frame path '${p}'`,
    run: () => released(`${p},0.1,0.2\n`),
    error: new RegExp(`f\\d+\\.csv:1: frame path '${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}' resolves outside `),
  })),
  ...absolutes.map((p) => ({ name: `absolute frame path '${p}'`, run: () => released(`a.jpg,0,0\n${p},0.1,0.2\n`), error: /f\d+\.csv:2: frame path '.*' is absolute/ })),
  ...absolutes.map((p) => ({
    name: `absolute frame path '${p}' with allowAbsolute`,
    run: () => released(`${p},0.1,0.2\n`, { allowAbsolute: true }),
    ok: (s: unknown) => expect((s as AffWildSequence[])[0]!.paths).toEqual([p]),
  })),
  { name: 'utterance CSV with ../', run: () => csv('../u/1.jpg,0,0\n', (p) => readUtteranceCsv(p)), error: 'resolves outside' },
  {
    name: 'the error keeps PathOutsideRootError as its cause',
    run: () => released('../x.jpg,0,0\n').catch((e: Error) => e.cause),
    ok: (cause) => expect(cause).toBeInstanceOf(PathOutsideRootError),
  },
  { name: "'./' paths and '..' that stay inside read", run: () => released('./a/../b.jpg,0,0\n'), ok: (s) => expect((s as AffWildSequence[])[0]!.paths[0]).toBe(join(dir, 'b.jpg')) },
];

const badLabels = ['0x1', '0b1', '0o1', 'Infinity', 'NaN', '', '1.5', '-1.01', '1e3', 'abc', '1_0'];
const labels: MalformedCase[] = [
  ...badLabels.map((v) => ({
    name: `valence '${v}'`,
    run: () => released(`a.jpg,0,0\nb.jpg,${v},0\n`),
    error: /f\d+\.csv:2: valence /,
  })),
  ...badLabels.slice(0, 4).map((v) => ({ name: `arousal '${v}'`, run: () => released(`a.jpg,0,${v}\n`), error: /f\d+\.csv:1: arousal '/ })),
  { name: 'two fields', run: () => released('a.jpg,0\n'), error: 'expected 3 fields path,valence,arousal, got 2' },
  { name: 'four fields', run: () => released('a.jpg,0,0,0\n'), error: 'expected 3 fields path,valence,arousal, got 4' },
  { name: 'empty path', run: () => released(',0,0\n'), error: ':1: empty frame path' },
  { name: 'no rows', run: () => released(''), error: ': no frames' },
  { name: 'missing CSV', run: () => readAffWildCsv(join(dir, 'absent.csv')), error: 'absent.csv: ENOENT' },
  ...[0, -1, 2.5, NaN].map((length) => ({ name: `length ${length}`, run: () => released('a.jpg,0,0\n', { length }), error: `readAffWildCsv: length must be a positive integer, got ${length}` })),
];

const omgHeader = 'link,start,end,video,utterance,arousal,valence,EmotionMaxVote';
const omgRow = (fields: Partial<Record<string, string>>) =>
  `${omgHeader}\n${['l', '1', '2', 'v', 'u.mp4', '0.5', '0.1', '3'].map((d, i) => fields[omgHeader.split(',')[i]!] ?? d).join(',')}\n`;
const omg: MalformedCase[] = [
  { name: 'end before start', run: () => csv(omgRow({ start: '5', end: '2' }), readOmgCsv), error: /f\d+\.csv:2: utterance ends \(2\) before it starts \(5\)/ },
  { name: 'negative start', run: () => csv(omgRow({ start: '-1', end: '2' }), readOmgCsv), error: 'starts before 0' },
  ...['0x10', 'Infinity', '', 'abc'].map((v) => ({ name: `start '${v}'`, run: () => csv(omgRow({ start: v }), readOmgCsv), error: `column start is not a number: '${v}'` })),
  ...['0x1', '7', '-1', '2.5'].map((v) => ({ name: `EmotionMaxVote '${v}'`, run: () => csv(omgRow({ EmotionMaxVote: v }), readOmgCsv), error: /EmotionMaxVote/ })),
  { name: 'arousal 0x1', run: () => csv(omgRow({ arousal: '0x1' }), readOmgCsv), error: "arousal '0x1' is not a number" },
  { name: 'duplicate column', run: () => csv(`${omgHeader},video\n`, readOmgCsv), error: "duplicate column name 'video' (columns 4 and 9)" },
  { name: 'missing column', run: () => csv(omgHeader.replace(',valence', '') + '\n', readOmgCsv), error: 'missing column(s) valence' },
  { name: 'zero-length utterance reads', run: () => csv(omgRow({ start: '2', end: '2' }), readOmgCsv), ok: (u) => expect(u).toMatchObject([{ start: 2, end: 2 }]) },
];

/** An Aff-Wild folder with one video of two frames and the given annotation texts. */
async function folder(valence: string, arousal: string): Promise<unknown> {
  const root = join(dir, `folder${n++}`);
  await mkdir(join(root, 'frames', 'v1'), { recursive: true });
  await mkdir(join(root, 'annotations', 'valence'), { recursive: true });
  await mkdir(join(root, 'annotations', 'arousal'), { recursive: true });
  for (const f of ['1.jpg', '2.jpg']) await writeFile(join(root, 'frames', 'v1', f), '');
  await writeFile(join(root, 'annotations', 'valence', 'v1.txt'), valence);
  await writeFile(join(root, 'annotations', 'arousal', 'v1.txt'), arousal);
  return readAffWildFolder(root);
}
const folders: MalformedCase[] = [
  ...['0x1', 'Infinity', '2', 'x'].map((v) => ({ name: `annotation value '${v}'`, run: () => folder(`0.1\n${v}\n`, '0\n0\n'), error: /valence\/v1\.txt:2: value / })),
  { name: 'one annotation too few', run: () => folder('0.1\n', '0\n0\n'), error: "1 annotated frames but video 'v1' has 2 frames" },
  { name: 'one annotation too many', run: () => folder('0\n0\n', '0\n0\n0\n'), error: "arousal/v1.txt: 3 annotated frames but video 'v1' has 2 frames" },
];

describeMalformed('affwildnet frame paths', paths);
describeMalformed('affwildnet labels', labels);
describeMalformed('affwildnet OMG-Emotion', omg);
describeMalformed('affwildnet annotation folders', folders);
