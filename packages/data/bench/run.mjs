#!/usr/bin/env node
/**
 * Decode throughput of core-tensor's data I/O (separate from bench/run.mjs): still images (PNG and JPEG made
 * from the photo fixtures at 96², 112² and 256²) decoded to raw pixels and to tensors, one at a time and
 * through Dataset.map with concurrency (sharp decodes on libuv's thread pool), plus video frames streamed
 * from an ffmpeg-made H.264 clip. Prints a table and writes bench/decode-results.json.
 * Runs the built dist/ (builds it first if missing); FACELAB_DIST may point at another build of index.js.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const entry = process.env.FACELAB_DIST ?? join(pkg, 'dist/index.js');
if (!existsSync(entry)) execFileSync('npm', ['run', 'build'], { cwd: pkg, stdio: 'inherit' });
process.env.FACELAB_QUIET ??= '1';
const core = await import(entry);
const { tf, initBackend, Dataset, decodeImage, readImage, encodeImage, resizeImage, readVideoFrames } = core;
if (decodeImage === undefined) throw new Error(`${entry} has no data API: rebuild core-tensor (npm run build)`);
await initBackend('cpu');
const load = loadavg()[0]; // other work on the machine lowers every figure: recorded with them

const MIN_MS = 1500;

/** Images per second of `run(i)` (async), repeated until MIN_MS have passed, after 10 warm-up calls. */
async function rate(run) {
  for (let i = 0; i < 10; i++) await run(i);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < MIN_MS) await run(n++);
  return n / ((performance.now() - t0) / 1000);
}

async function encoded(size, format) {
  const photos = ['astronaut.png', 'grace_hopper.jpg'].map((f) => join(pkg, 'test/fixtures/photos', f));
  const out = [];
  for (const p of photos) {
    const img = await readImage(p);
    const big = resizeImage(img, { width: size, height: size });
    out.push(await encodeImage(big, format, { quality: 90 }));
    tf.dispose([img, big]);
  }
  return out;
}

const rows = [];
for (const size of [96, 112, 256]) {
  for (const format of ['png', 'jpeg']) {
    const files = await encoded(size, format);
    const pick = (i) => files[i % files.length];
    const raw = await rate((i) => decodeImage(pick(i)));
    const tensor = await rate(async (i) => (await readImage(pick(i), { dtype: 'float32' })).dispose());
    // Concurrency: count whole passes over a 64-image dataset.
    const ds = Dataset.fromGenerator(function* () {
      for (let i = 0; i < 64; i++) yield pick(i);
    }).map((b) => decodeImage(b), { concurrency: 4 });
    const parallel = 64 * (await rate(async () => {
      for await (const _ of ds);
    }));
    rows.push({ item: `${format} ${size}²`, bytes: files[0].length, raw, tensor, parallel });
  }
}

// Video: 120 frames of 320×240 H.264, decoded to rgb24 at native size and scaled to 112².
const dir = mkdtempSync(join(tmpdir(), 'facelab-bench-'));
const clip = join(dir, 'clip.mp4');
execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-frames:v', '120',
  '-c:v', 'libx264', '-pix_fmt', 'yuv420p', clip]);
const video = [];
for (const [label, opts] of [['320×240 native', {}], ['scaled to 112²', { fps: 25, size: { width: 112, height: 112 } }]]) {
  // Steady state from the first frame on; the start-up (ffprobe + ffmpeg launch) is reported apart.
  const t0 = performance.now();
  let t1 = 0;
  let n = 0;
  for await (const _ of readVideoFrames(clip, opts)) if (n++ === 0) t1 = performance.now();
  video.push({ item: `h264 ${label}`, fps: (n - 1) / ((performance.now() - t1) / 1000), startupMs: t1 - t0 });
}

const fmt = (v) => v.toFixed(0).padStart(8);
console.log(`\ncore-tensor decode throughput (${cpus().length} cores, ${cpus()[0]?.model ?? ''}, load ${load.toFixed(1)}; images/s)`);
console.log('image          bytes    raw  tensor  map×4');
for (const r of rows) console.log(`${r.item.padEnd(12)} ${String(r.bytes).padStart(6)} ${fmt(r.raw)}${fmt(r.tensor)}${fmt(r.parallel)}`);
for (const v of video) console.log(`${v.item.padEnd(26)} ${fmt(v.fps)} frames/s (start-up ${v.startupMs.toFixed(0)} ms)`);
writeFileSync(
  join(here, 'decode-results.json'),
  JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, loadavg1: load, images: rows, video }, null, 1) + '\n',
);
