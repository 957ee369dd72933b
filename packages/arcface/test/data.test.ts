import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage } from '@facelab/data';
import { initBackend } from '@facelab/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseVerificationBin, readVerificationBin, RecordIOReader } from '../src/index.js';

const golden = (name: string) => new URL(`./golden/${name}`, import.meta.url).pathname;
const meta = JSON.parse(readFileSync(golden('data-fixtures.json'), 'utf8')) as {
  issame: boolean[];
  labels: number[];
  pixels: number[][][][];
  jpegLengths: number[];
};

/** Max abs difference between sharp's decode of JPEG bytes and PIL's (different IDCTs: a few levels). */
async function pixelError(bytes: Uint8Array, expected: number[][][]): Promise<number> {
  const raw = await decodeImage(bytes, 3);
  let err = 0;
  expected.flat(2).forEach((v, i) => (err = Math.max(err, Math.abs(v - raw.data[i]!))));
  return err;
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('verification .bin reader', () => {
  for (const file of ['pairs-p2.bin', 'pairs-p4.bin']) {
    it(`reads ${file} (images and issame as pickled)`, async () => {
      const bin = await readVerificationBin(golden(file));
      expect(bin.issame).toEqual(meta.issame);
      expect(bin.images.map((b) => b.length)).toEqual(meta.jpegLengths);
      for (let i = 0; i < bin.images.length; i++) expect(await pixelError(bin.images[i]!, meta.pixels[i]!)).toBeLessThanOrEqual(4);
    });
  }

  it('rejects another structure, a truncated file and foreign opcodes, naming the file', async () => {
    await expect(readVerificationBin(golden('not-pairs.bin'))).rejects.toThrow(/not-pairs\.bin: unsupported pickle opcode 0x7d .*byte offset/);
    const bytes = new Uint8Array(readFileSync(golden('pairs-p4.bin')));
    expect(() => parseVerificationBin(bytes.subarray(0, 100), 'cut.bin')).toThrow(/cut\.bin: truncated pickle/);
    // A 2-tuple of the wrong element types: (b'x', True) in protocol 2.
    expect(() => parseVerificationBin(new Uint8Array([0x80, 2, 0x55, 1, 120, 0x88, 0x86, 0x2e]), 'odd.bin')).toThrow(
      /odd\.bin: element 0 is not a list of byte strings/,
    );
  });
});

describe('RecordIO reader', () => {
  it('reads the insightface layout through the index and sequentially, joining split records', async () => {
    const reader = new RecordIOReader(golden('tiny.rec'), golden('tiny.idx'));
    expect(reader.keys()).toEqual([0, 1, 2, 3]);
    expect(reader.read(0).header).toMatchObject({ flag: 2, label: [1, 4] });
    for (let k = 1; k <= 3; k++) {
      const r = reader.read(k);
      expect(r.header).toMatchObject({ flag: 0, label: meta.labels[k - 1], id: BigInt(k) });
      const jpeg = k === 2 ? r.image.subarray(0, r.image.length - 8) : r.image;
      expect(jpeg.length).toBe(meta.jpegLengths[k - 1]);
      expect(await pixelError(jpeg, meta.pixels[k - 1]!)).toBeLessThanOrEqual(4);
    }
    // Record 2 was split around a magic number: the join restores it (…magic + 'tail').
    const two = reader.read(2).image;
    expect(Array.from(two.subarray(two.length - 8))).toEqual([0x0a, 0x23, 0xd7, 0xce, 0x74, 0x61, 0x69, 0x6c]);
    expect([...reader.records()].map((r) => r.header.id)).toEqual([0n, 1n, 2n, 3n]);
    reader.close();
  });

  it('names the file and byte offset of a corrupt record', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'arcface-rec-'));
    const bytes = new Uint8Array(readFileSync(golden('tiny.rec')));
    const idx = readFileSync(golden('tiny.idx'), 'utf8');
    const off3 = Number(idx.trim().split('\n')[3]!.split('\t')[1]);
    bytes[off3] = 0; // break record 3's magic
    await writeFile(join(dir, 'bad.rec'), bytes);
    await copyFile(golden('tiny.idx'), join(dir, 'bad.idx'));
    const reader = new RecordIOReader(join(dir, 'bad.rec'), join(dir, 'bad.idx'));
    expect(() => reader.read(3)).toThrow(new RegExp(`bad\\.rec: corrupt record at byte offset ${off3}: magic`));
    reader.close();
    await writeFile(join(dir, 'cut.rec'), bytes.subarray(0, off3 + 12));
    const cut = new RecordIOReader(join(dir, 'cut.rec'));
    expect(() => [...cut.records()]).toThrow(/cut\.rec: corrupt record at byte offset \d+/);
    cut.close();
    await writeFile(join(dir, 'bad2.idx'), '0\t0\nzero\t8\n');
    expect(() => new RecordIOReader(join(dir, 'cut.rec'), join(dir, 'bad2.idx'))).toThrow(/bad2\.idx:2: expected/);
  });
});
