import { mkdtemp, readFile, writeFile, mkdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvNumber, readCsv, readCsvRows, writeCsv } from '@facelab/runtime';
import {
  lfwImagePath,
  listClassFolders,
  readPairs,
  readPts,
  writePairs,
  writePts,
} from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'facelab-ann-'));
});

async function put(name: string, text: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, text);
  return p;
}

describe('.pts', () => {
  it('reads the 300-W layout as written by the dataset', async () => {
    // The head of 300-W's indoor_001.pts, typed from the dataset's format (tabs/spaces and a blank line kept).
    const p = await put(
      'a.pts',
      'version: 1\nn_points:  3\n{\n446.000 91.000\n449.459 119.344\r\n\n450.957 150.614\n}\n',
    );
    expect(await readPts(p)).toEqual([
      [446, 91],
      [449.459, 119.344],
      [450.957, 150.614],
    ]);
  });

  it('writes what it reads (3 decimals), 68 points', async () => {
    const pts = Array.from({ length: 68 }, (_, i) => [i * 1.25 + 0.0004, 100 - i / 3] as [number, number]);
    const p = join(dir, 'b.pts');
    await writePts(p, pts);
    const text = await readFile(p, 'utf8');
    expect(text.startsWith('version: 1\nn_points: 68\n{\n0 100\n1.25 99.667\n')).toBe(true);
    const back = await readPts(p);
    back.forEach(([x, y], i) => {
      expect(x).toBeCloseTo(pts[i]![0], 3);
      expect(y).toBeCloseTo(pts[i]![1], 3);
    });
  });

  it.each([
    ['version: 1\nn_points: 2\n{\n1 2\n3 x\n}\n', ':5: expected \'x y\''],
    ['version: 1\nn_points: 2\n{\n1 2\n3 4 5\n}\n', ':5: expected \'x y\''],
    ['version: 1\nn_points: 3\n{\n1 2\n3 4\n}\n', ':6: n_points is 3 but 2'],
    ['version: 1\nn_points: 2\n{\n1 2\n3 4\n', "missing closing '}'"],
    ['version 1\nn_points: 2\n{\n}\n', ":1: expected 'key: value'"],
    ['version: 1\n{\n1 2\n}\n', ":2: missing 'n_points:'"],
  ])('rejects malformed file %#', async (text, message) => {
    const p = await put('bad.pts', text);
    await expect(readPts(p)).rejects.toThrow(`${p}${message.startsWith(':') ? '' : ':'}`);
    await expect(readPts(p)).rejects.toThrow(message);
  });
});

describe('LFW pairs.txt', () => {
  it('reads both line shapes, folds, and the image paths', async () => {
    const p = await put(
      'pairs.txt',
      '2\t1\nAbel_Pacheco\t1\t4\nAkhmed_Zakayev\t1\tAmber_Tamblyn\t2\nZico\t2\t3\nAaron_Peirsol\t3\tJohn_Doe\t12\n',
    );
    const r = await readPairs(p);
    expect(r.folds).toBe(2);
    expect(r.perFold).toBe(1);
    expect(r.pairs.map((q) => [q.same, q.fold, q.line, q.a.path, q.b.path])).toEqual([
      [true, 0, 2, 'Abel_Pacheco/Abel_Pacheco_0001.jpg', 'Abel_Pacheco/Abel_Pacheco_0004.jpg'],
      [false, 0, 3, 'Akhmed_Zakayev/Akhmed_Zakayev_0001.jpg', 'Amber_Tamblyn/Amber_Tamblyn_0002.jpg'],
      [true, 1, 4, 'Zico/Zico_0002.jpg', 'Zico/Zico_0003.jpg'],
      [false, 1, 5, 'Aaron_Peirsol/Aaron_Peirsol_0003.jpg', 'John_Doe/John_Doe_0012.jpg'],
    ]);
    expect(lfwImagePath('A_B', 123)).toBe('A_B/A_B_0123.jpg');
  });

  it('writes View 1 (one-number header) and View 2 files that read back', async () => {
    const fold = {
      same: [{ a: { name: 'X', index: 1 }, b: { name: 'X', index: 2 } }],
      different: [{ a: { name: 'X', index: 1 }, b: { name: 'Y', index: 5 } }],
    };
    const p1 = join(dir, 'pairsDevTrain.txt');
    await writePairs(p1, [fold], { oneNumberHeader: true });
    expect(await readFile(p1, 'utf8')).toBe('1\nX\t1\t2\nX\t1\tY\t5\n');
    const p2 = join(dir, 'pairs2.txt');
    await writePairs(p2, [fold, fold, fold]);
    const r = await readPairs(p2);
    expect([r.folds, r.perFold, r.pairs.length, r.pairs[5]!.b.path]).toEqual([3, 1, 6, 'Y/Y_0005.jpg']);
  });

  it.each([
    ['1\nA 1 B 2\nA 1 B 2\n', ':2: expected a same-identity line'],
    ['1\nA 1 2\nA 1 2\n', ':3: expected a different-identity line'],
    ['1\nA 1 x\nA 1 B 2\n', ":2: image number must be a positive integer, got 'x'"],
    ['2 1\nA 1 2\nA 1 B 2\n', ':3: header promises 4 pair lines, the file has 2'],
    ['ten\nA 1 2\n', ":1: header must be 'folds n' or 'n'"],
  ])('rejects malformed file %#', async (text, message) => {
    const p = await put('badpairs.txt', text);
    await expect(readPairs(p)).rejects.toThrow(`${p}${message}`);
  });
});

describe('CSV/TSV', () => {
  it('reads a header CSV with quoting, and line numbers count physical lines', async () => {
    const p = await put('va.csv', 'path,valence,arousal\nf/0001.png,0.5,-0.25\n"f/with,comma.png",1,"0"\n\nf/3.png,-1,1\n');
    const t = await readCsv(p);
    expect(t.header).toEqual(['path', 'valence', 'arousal']);
    expect(t.rows.map((r) => [r.line, r.record!['path'], csvNumber(r, 'valence', p), csvNumber(r, 2, p)])).toEqual([
      [2, 'f/0001.png', 0.5, -0.25],
      [3, 'f/with,comma.png', 1, 0],
      [5, 'f/3.png', -1, 1],
    ]);
  });

  it('reads TSV without a header, streaming', async () => {
    const p = await put('x.tsv', 'a\t1\nb\t2\n');
    const rows = [];
    for await (const r of readCsvRows(p, { header: false })) rows.push([r.line, ...r.fields]);
    expect(rows).toEqual([
      [1, 'a', '1'],
      [2, 'b', '2'],
    ]);
  });

  it('writes CSV and TSV that csv-parse reads back', async () => {
    const p = join(dir, 'w.csv');
    await writeCsv(p, [['a,b', 1.5], ['say "hi"', -2]], { header: ['name', 'v'] });
    const t = await readCsv(p);
    expect(t.rows.map((r) => r.fields)).toEqual([
      ['a,b', '1.5'],
      ['say "hi"', '-2'],
    ]);
    const q = join(dir, 'w.tsv');
    await writeCsv(q, [['a b', 3]]);
    expect(await readFile(q, 'utf8')).toBe('a b\t3\n');
  });

  it('rejects a row with the wrong field count, an unclosed quote and a non-number, naming file and line', async () => {
    const p = await put('bad.csv', 'path,valence,arousal\nx,1,2\ny,1\n');
    await expect(readCsv(p)).rejects.toThrow(`${p}:3:`);
    const q = await put('bad2.csv', 'a,b\n1,2\n"3,4\n');
    await expect(readCsv(q)).rejects.toThrow(`${q}:`);
    const t = await readCsv(await put('nan.csv', 'v\n1\nabc\n'));
    expect(() => csvNumber(t.rows[1]!, 'v', 'nan.csv')).toThrow("nan.csv:3: column \"v\" is not a number: 'abc'");
  });
});

describe('folder-per-class layouts', () => {
  it('lists class folders sorted, with label indices, skipping other files', async () => {
    const root = join(dir, 'afew');
    for (const [cls, files] of [
      ['Happy', ['b.png', 'a.jpg', 'notes.txt']],
      ['Angry', ['z.png']],
      ['Neutral', []],
    ] as const) {
      await mkdir(join(root, cls), { recursive: true });
      for (const f of files) await writeFile(join(root, cls, f), 'x');
    }
    await writeFile(join(root, 'README'), 'x');
    await symlink(join(root, 'Angry', 'z.png'), join(root, 'Happy', 'c.png')); // links count as files
    await symlink(join(root, 'gone.png'), join(root, 'Happy', 'd.png')); // a dangling link is skipped
    const r = await listClassFolders(root, { extensions: ['.png', '.jpg'] });
    expect(r.classes).toEqual(['Angry', 'Happy', 'Neutral']);
    expect(r.items.map((i) => [i.label, i.className, i.path])).toEqual([
      [0, 'Angry', join(root, 'Angry', 'z.png')],
      [1, 'Happy', join(root, 'Happy', 'a.jpg')],
      [1, 'Happy', join(root, 'Happy', 'b.png')],
      [1, 'Happy', join(root, 'Happy', 'c.png')],
    ]);
  });

  it('lists clip folders (AFEW-style frame folders) with entries: dirs', async () => {
    const root = join(dir, 'clips');
    await mkdir(join(root, 'Sad', 'clip01'), { recursive: true });
    await mkdir(join(root, 'Sad', 'clip00'), { recursive: true });
    const r = await listClassFolders(root, { entries: 'dirs' });
    expect(r.items.map((i) => i.path)).toEqual([join(root, 'Sad', 'clip00'), join(root, 'Sad', 'clip01')]);
    await expect(listClassFolders(join(dir, 'nope'))).rejects.toThrow(join(dir, 'nope'));
  });
});
