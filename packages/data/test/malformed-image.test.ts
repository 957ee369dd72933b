/**
 * Malformed-input corpus of the image reader: decompression bombs (a header announcing a huge image, an SVG
 * rendered at any size), truncations of PNG and JPEG at many offsets, wrong magics, and bad options. Every
 * error names the file; no case leaks a tensor.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { initBackend, tf } from '@facelab/core-tensor';
import { describeMalformed, type MalformedCase } from '@facelab/test-utils';
import { afterAll, beforeAll, expect } from 'vitest';
import { DEFAULT_MAX_PIXELS, decodeImage, encodeImage, readImage, type RawImage } from '../src/index.js';

let dir = '';
let png: Uint8Array = new Uint8Array();
let jpeg: Uint8Array = new Uint8Array();
const raw: RawImage = { data: Uint8Array.from({ length: 8 * 8 * 3 }, (_, i) => (i * 37) % 256), width: 8, height: 8, channels: 3 };
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'malformed-image-'));
  png = await encodeImage(raw, 'png');
  jpeg = await encodeImage(raw, 'jpeg');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** `png` with IHDR's width and height replaced (and its CRC recomputed, so only the size is wrong). */
function pngOfSize(width: number, height: number): Uint8Array {
  const out = png.slice();
  const v = new DataView(out.buffer);
  v.setUint32(16, width);
  v.setUint32(20, height);
  v.setUint32(29, crc32(out.subarray(12, 29)));
  return out;
}

/** Writes `bytes` to `name` in the temp folder and reads it as a tensor (disposed: only the outcome matters). */
async function readFile(name: string, bytes: Uint8Array | string, options = {}): Promise<number[]> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  const t = await readImage(path, options);
  const shape = t.shape;
  t.dispose();
  return shape;
}

const svg = (w: number, h: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%"/></svg>`;

const bombs: MalformedCase[] = [
  ...([[8193, 8193], [100_000, 100_000], [65_535, 2000], [1, 2 ** 27]] as const).map(([w, h]) => ({
    name: `PNG header announcing ${w}×${h}`,
    run: () => readFile(`big${w}x${h}.png`, pngOfSize(w, h)),
    error: /readImage: .*big\d+x\d+\.png( is \d+×\d+ = \d+ pixels, more than maxPixels 67108864|: )/,
  })),
  { name: 'SVG of 30000×30000 (118 bytes)', run: () => readFile('bomb.svg', svg(30000, 30000)), error: 'bomb.svg is svg, not a raster image (pass allowVector' },
  { name: 'small SVG without allowVector', run: () => readFile('small.svg', svg(4, 4)), error: 'small.svg is svg, not a raster image' },
  { name: 'small SVG with allowVector', run: () => readFile('ok.svg', svg(4, 3), { allowVector: true }), ok: (s) => expect(s).toEqual([3, 4, 4]) },
  { name: 'big SVG with allowVector is still capped', run: () => readFile('capped.svg', svg(9000, 9000), { allowVector: true }), error: /capped\.svg.*(maxPixels|pixel limit)/ },
  { name: 'maxPixels below the image', run: () => readFile('small.png', png, { maxPixels: 63 }), error: 'small.png is 8×8 = 64 pixels, more than maxPixels 63' },
  { name: 'maxPixels equal to the image', run: () => readFile('exact.png', png, { maxPixels: 64 }), ok: (s) => expect(s).toEqual([8, 8, 3]) },
  { name: 'maxPixels Infinity', run: () => readFile('inf.png', png, { maxPixels: Infinity }), ok: (s) => expect(s).toEqual([8, 8, 3]) },
  ...[0, -1, 1.5, NaN].map((maxPixels) => ({
    name: `maxPixels ${maxPixels}`,
    run: () => decodeImage(png, 3, { maxPixels }),
    error: `readImage: maxPixels must be a positive integer or Infinity, got ${maxPixels}`,
  })),
  { name: 'the default cap is 8192×8192', run: () => DEFAULT_MAX_PIXELS, ok: (v) => expect(v).toBe(8192 * 8192) },
];

// PNG: signature (8), IHDR (25), IDAT…, IEND (12). JPEG: SOI, APP0, DQT, SOF, DHT, SOS, entropy data, EOI.
const pngCuts = [1, 4, 8, 12, 16, 20, 24, 29, 33, 37, 41, 50, 60];
const jpegCuts = [1, 2, 4, 10, 20, 50, 100, 150, 200, 250, 260, 265];
const truncated: MalformedCase[] = [
  ...pngCuts.map((cut) => ({ name: `PNG truncated at byte ${cut}`, run: () => readFile(`cut${cut}.png`, png.subarray(0, cut)), error: `cut${cut}.png` })),
  // Only the IEND trailer is missing: every pixel is there, and libpng decodes them.
  ...[-12, -4, -1].map((fromEnd) => ({
    name: `PNG missing its last ${-fromEnd} bytes (inside IEND)`,
    run: () => decodeImage(png.subarray(0, png.length + fromEnd), 3),
    ok: (r: unknown) => expect((r as RawImage).data).toEqual(raw.data),
  })),
  ...jpegCuts.map((cut) => ({ name: `JPEG truncated at byte ${cut}`, run: () => readFile(`cut${cut}.jpg`, jpeg.subarray(0, cut)), error: `cut${cut}.jpg` })),
];

const magics: MalformedCase[] = [
  { name: 'empty file', run: () => readFile('empty.png', new Uint8Array()), error: 'readImage: cannot decode' },
  { name: 'text file named .png', run: () => readFile('text.png', 'hello'), error: 'text.png' },
  { name: 'PNG signature with a wrong byte', run: () => readFile('sig.png', Uint8Array.from(png, (b, i) => (i === 1 ? 0x51 : b))), error: 'sig.png' },
  { name: 'JPEG with SOI only', run: () => readFile('soi.jpg', Uint8Array.from([0xff, 0xd8, 0xff, 0xd9])), error: 'soi.jpg' },
  { name: 'PNG IHDR CRC corrupted', run: () => readFile('crc.png', Uint8Array.from(png, (b, i) => (i === 30 ? b ^ 0xff : b))), error: 'crc.png' },
  { name: 'PNG of width 0', run: () => readFile('w0.png', pngOfSize(0, 8)), error: 'w0.png' },
  { name: 'missing file', run: () => readImage(join(dir, 'absent.png')), error: 'absent.png' },
  { name: 'a folder', run: () => readImage(dir), error: `readImage: cannot decode ${dir}` },
  { name: 'bytes of a WAV file', run: () => decodeImage(Uint8Array.from([...'RIFF'].map((c) => c.charCodeAt(0)).concat(Array(40).fill(0)))), error: 'readImage: cannot decode <44 bytes>' },
];

describeMalformed('data image bombs', bombs, { numTensors: () => tf.memory().numTensors });
describeMalformed('data image truncated', truncated, { numTensors: () => tf.memory().numTensors });
describeMalformed('data image magics', magics, { numTensors: () => tf.memory().numTensors });
