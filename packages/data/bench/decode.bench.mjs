/**
 * data suite `decode`: decode throughput of still images (PNG and JPEG made from the photo fixtures at 96², 112²
 * and 256²) to raw pixels and to tensors, one at a time and through Dataset.map with concurrency 4 (sharp decodes
 * on libuv's thread pool), plus video frames streamed from an ffmpeg-made H.264 clip. Options: `minMs` (timed
 * duration per figure).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PHOTOS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'photos');

export default {
  name: 'decode',
  title: 'Image and video decode throughput',
  options: { minMs: 1500 },
  async run({ options }) {
    const { tf, initBackend } = await import('@facelab/core-tensor');
    const { Dataset, decodeImage, readImage, encodeImage, resizeImage, readVideoFrames } = await import('@facelab/data');
    await initBackend('cpu');
    const load = loadavg()[0]; // other work on the machine lowers every figure: recorded with them

    /** Images per second of `run(i)` (async), repeated until `minMs` have passed, after 10 warm-up calls. */
    async function rate(run) {
      for (let i = 0; i < 10; i++) await run(i);
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < options.minMs) await run(n++);
      return n / ((performance.now() - t0) / 1000);
    }

    async function encoded(size, format) {
      const out = [];
      for (const photo of ['astronaut.png', 'grace_hopper.jpg']) {
        const img = await readImage(join(PHOTOS, photo));
        const big = resizeImage(img, { width: size, height: size });
        out.push(await encodeImage(big, format, { quality: 90 }));
        tf.dispose([img, big]);
      }
      return out;
    }

    const images = [];
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
        const parallel =
          64 *
          (await rate(async () => {
            for await (const _ of ds);
          }));
        images.push({ item: `${format} ${size}²`, bytes: files[0].length, raw, tensor, parallel });
      }
    }

    // Video: 120 frames of 320×240 H.264, decoded to rgb24 at native size and scaled to 112².
    const dir = mkdtempSync(join(tmpdir(), 'facelab-bench-'));
    const video = [];
    try {
      const clip = join(dir, 'clip.mp4');
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-frames:v', '120', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', clip]);
      for (const [label, opts] of [['320×240 native', {}], ['scaled to 112²', { fps: 25, size: { width: 112, height: 112 } }]]) {
        // Steady state from the first frame on; the start-up (ffprobe + ffmpeg launch) is reported apart.
        const t0 = performance.now();
        let t1 = 0;
        let n = 0;
        for await (const _ of readVideoFrames(clip, opts)) if (n++ === 0) t1 = performance.now();
        video.push({ item: `h264 ${label}`, fps: (n - 1) / ((performance.now() - t1) / 1000), startupMs: t1 - t0 });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return { date: new Date().toISOString(), cpus: cpus().length, loadavg1: load, images, video };
  },
  report(results) {
    const f = (v) => v.toFixed(0);
    return [
      `Images per second (${results.date.slice(0, 10)}, ${results.cpus} cores, load average ${results.loadavg1.toFixed(1)}).`,
      '',
      '| image | bytes | decode to raw | to tensor | Dataset.map ×4 |',
      '|---|---:|---:|---:|---:|',
      ...results.images.map((r) => `| ${r.item} | ${r.bytes} | ${f(r.raw)} | ${f(r.tensor)} | ${f(r.parallel)} |`),
      '',
      '| video | frames/s | start-up (ms) |',
      '|---|---:|---:|',
      ...results.video.map((v) => `| ${v.item} | ${f(v.fps)} | ${f(v.startupMs)} |`),
    ].join('\n');
  },
};
