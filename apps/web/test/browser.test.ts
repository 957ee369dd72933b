/**
 * The built demo (dist/, made by `npm run build`) in headless Chromium (/usr/bin/chromium, driven by
 * playwright-core): each feature on the bundled inputs, on webgl and on webgpu (software adapter, behind
 * --enable-unsafe-webgpu), compared with the numbers Node computed on the same pixels at build time
 * (dist/generated/expected.json) within 1e-3; a screenshot per backend goes to test-results/. Skipped, with a line
 * saying so, where Chromium is not installed.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../src/main.js';
import { serveStatic } from './static-server.js';

const CHROMIUM = '/usr/bin/chromium';
const app = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(app, 'dist');
const results = join(app, 'test-results');
const TOL = 1e-3;

if (!existsSync(CHROMIUM)) console.log(`web: browser test skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`);

/** Largest |a − b| over two nested number arrays of the same shape (shape mismatch → Infinity). */
function maxAbsDiff(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b);
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return Infinity;
  return a.reduce((m: number, v, i) => Math.max(m, maxAbsDiff(v, b[i])), 0);
}

describe.skipIf(!existsSync(CHROMIUM))('web demo in headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  const expected = existsSync(join(dist, 'generated', 'expected.json')) ? (JSON.parse(readFileSync(join(dist, 'generated', 'expected.json'), 'utf8')) as Omit<RunResult, 'fps' | 'tensors'>) : undefined;

  beforeAll(async () => {
    if (expected === undefined) throw new Error(`${dist} has no generated/expected.json: run npm run build in apps/web first`);
    ({ server, url } = await serveStatic(dist));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--enable-unsafe-webgpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(results, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  for (const backend of ['webgl', 'webgpu'] as const) {
    it(`runs ArcFace, AffWildNet and RPCA on ${backend} with Node's numbers (≤ ${TOL})`, async () => {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1100 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      await page.waitForFunction(() => window.facelab?.ready === true);
      const got = await page.evaluate((b) => window.facelab.run(b), backend);
      await page.screenshot({ path: join(results, `web-${backend}.png`), fullPage: true });
      await page.close();
      expect(errors).toEqual([]);
      expect(got.backend).toBe(backend);
      const diffs = {
        embeddings: maxAbsDiff(got.similarity.embeddings, expected!.similarity.embeddings),
        similarity: maxAbsDiff(got.similarity.similarity, expected!.similarity.similarity),
        valenceArousal: maxAbsDiff(got.valenceArousal, expected!.valenceArousal),
        background: maxAbsDiff(got.separation.background, expected!.separation.background),
        foreground: maxAbsDiff(got.separation.foreground, expected!.separation.foreground),
      };
      console.log(`web: ${backend}: max |browser − Node| ${JSON.stringify(diffs)}; fps ${JSON.stringify(got.fps)}`);
      for (const [what, d] of Object.entries(diffs)) expect(d, what).toBeLessThanOrEqual(TOL);
      expect(got.separation.iterations).toBe(expected!.separation.iterations);
      expect(got.tensors[1], 'tensors left by the features').toBe(got.tensors[0]);
    });
  }
});
