import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineSpec, plotLines, savePlot, vegaLiteToSvg } from '../src/index.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const steps = [0, 1, 2, 3, 4, 5];
const series = [
  { name: 'train', x: steps, y: steps.map((s) => 1 / (s + 1)) },
  { name: 'val', x: steps, y: steps.map((s) => 1.2 / (s + 1)) },
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'facelab-plot-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('plot', () => {
  it('builds a spec with every finite point and drops the rest', () => {
    const spec = lineSpec([...series, { name: 'nan', x: [0, 1], y: [NaN, 2] }], { logY: true }) as {
      data: { values: { series: string }[] };
    };
    expect(spec.data.values.length).toBe(6 + 6 + 1);
  });

  it('renders SVG with the title and axis labels as text', async () => {
    const svg = await vegaLiteToSvg(lineSpec(series, { title: 'Loss curve', xLabel: 'step', yLabel: 'loss' }));
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of ['Loss curve', 'step', 'loss', 'train', 'val']) expect(svg).toContain(`>${text}<`);
  });

  it('produces a PNG that decodes at the requested size', async () => {
    const png = await plotLines(series, { title: 'loss', width: 300, height: 200, scale: 2 });
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    // the plot area plus axes, legend and title: larger than the area, at 2x pixel ratio
    expect(meta.width!).toBeGreaterThan(2 * 300);
    expect(meta.height!).toBeGreaterThan(2 * 200);
    expect(meta.width!).toBeLessThan(2 * 300 + 400);
    // not blank: the lines' colours differ from the white background
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    let dark = 0;
    for (let i = 0; i < data.length; i += info.channels) if (data[i]! < 128 || data[i + 2]! < 128) dark++;
    expect(dark).toBeGreaterThan(500);
  });

  it('saves to a file and rejects mismatched series', async () => {
    const p = join(dir, 'curve.png');
    await savePlot(p, series);
    expect([...(await readFile(p)).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    await expect(plotLines([{ name: 'bad', x: [1, 2], y: [1] }])).rejects.toThrow(/'bad' has 2 x values but 1 y values/);
  });
});
