/**
 * end2you suite `step`: one training step (forward, masked CCC loss, backward, Adam update) of the audiovisual
 * model (Emo16 on 640-sample frames + ResNet-18 on 96×96 faces, concatenated, LSTM 2×512, 2 outputs) at
 * batch 2 × `steps` steps on the active tfjs backend (initBackend()), against the same network in PyTorch in the
 * same run (peer torch_end2you.py: 2 threads, channels_last); and `generate` throughput (files/s) on synthetic
 * raw files (a 4 s, 25 fps, 96×96 talking-face mp4 with soundtrack + a physiological CSV + labels at 40 ms).
 * Options: `steps` (default 150), `warmup`, `reps`, `files` (generate inputs).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const BATCH = 2;

async function generateThroughput(files) {
  const { writeVideo, writeWav, ffmpegPath } = await import('@facelab/data');
  const { generate, writeLabelFile, writeSignalCsv } = await import('@facelab/end2you');
  const dir = mkdtempSync(join(tmpdir(), 'e2y-bench-'));
  try {
    const seconds = 4;
    const frames = Array.from({ length: 25 * seconds }, (_, k) => ({ data: new Uint8Array(96 * 96 * 3).fill((k * 7) % 255), width: 96, height: 96, channels: 3 }));
    await writeVideo(join(dir, 'v.mp4'), frames, { fps: 25 });
    await writeWav(join(dir, 'a.wav'), { sampleRate: 16000, channels: [Float32Array.from({ length: 16000 * seconds }, (_, i) => 0.3 * Math.sin(i / 5))] });
    execFileSync(ffmpegPath(), ['-v', 'error', '-y', '-i', join(dir, 'v.mp4'), '-i', join(dir, 'a.wav'), '-c:v', 'copy', '-c:a', 'aac', '-shortest', join(dir, 'clip.mp4')]);
    await writeSignalCsv(join(dir, 'p.csv'), { rate: 250, start: 0, names: ['eda'], samples: Float32Array.from({ length: 250 * seconds }, (_, i) => Math.sin(i / 50)) });
    const steps = seconds / 0.04 - 1;
    const rows = [];
    for (let i = 0; i < files; i++) {
      await writeLabelFile(join(dir, `l${i}.csv`), { names: ['arousal', 'valence'], times: Array.from({ length: steps }, (_, s) => s * 0.04), step: 0.04, values: new Float32Array(steps * 2) });
      rows.push(`clip.mp4,p.csv,l${i}.csv`);
    }
    writeFileSync(join(dir, 'list.csv'), ['raw,physio,labels', ...rows].join('\n') + '\n');
    const t0 = performance.now();
    await generate(join(dir, 'list.csv'), join(dir, 'out'));
    const s = (performance.now() - t0) / 1000;
    return { files, seconds: s, filesPerSecond: files / s, clipSeconds: seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default {
  name: 'step',
  title: 'End2You audiovisual training step against PyTorch; generate throughput',
  options: { steps: 150, warmup: 1, reps: 2, files: 4 },
  async run({ options, runPeer }) {
    const { tf, initBackend } = await import('@facelab/core-tensor');
    const { createEnd2YouModel, sequenceLoss, lengthMask } = await import('@facelab/end2you');
    const backend = await initBackend();
    const steps = Number(options.steps);
    const model = createEnd2YouModel({ audio: { net: 'emo16', samples: 640 }, visual: { net: 'resnet18', size: 96 }, outputs: 2, seed: 1 });
    const optimizer = tf.train.adam(1e-4);
    const a = tf.randomNormal([BATCH, steps, 640], 0, 0.1, 'float32', 1);
    const v = tf.randomUniform([BATCH, steps, 96, 96, 3], 0, 1, 'float32', 2);
    const y = tf.randomUniform([BATCH, steps, 2], -1, 1, 'float32', 3);
    const mask = lengthMask([steps, steps], steps);
    console.error(`end2you bench: audiovisual (${model.countParams()} parameters), ${BATCH} × ${steps} steps, ${backend}`);
    const times = [];
    for (let i = 0; i < options.warmup + options.reps; i++) {
      const s0 = performance.now();
      const loss = optimizer.minimize(() => sequenceLoss('ccc', y, model.apply([a, v], { training: true }), mask), true);
      loss.dataSync();
      loss.dispose();
      const ms = performance.now() - s0;
      console.error(`  step ${i + 1}: ${(ms / 1000).toFixed(2)} s${i < options.warmup ? ' (warm-up)' : ''}`);
      if (i >= options.warmup) times.push(ms);
    }
    times.sort((p, q) => p - q);
    tf.dispose([a, v, y, mask]);
    optimizer.dispose();
    model.dispose();
    const peer = runPeer('torch_end2you.py', [BATCH, steps, options.warmup, options.reps]);
    const tfjsMs = times[Math.floor(times.length / 2)];
    const gen = await generateThroughput(Number(options.files));
    return {
      date: new Date().toISOString(), machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`, loadavg1: loadavg()[0], backend,
      batch: BATCH, steps, tfjs: { ms: tfjsMs }, torch: peer, ratio: peer ? tfjsMs / peer.ms : undefined, generate: gen,
    };
  },
  report(r) {
    const f = (x, d = 2) => (x === undefined ? '—' : x.toFixed(d));
    return [
      `| work | tfjs ${r.backend} | PyTorch | tfjs / PyTorch |`,
      '|---|---:|---:|---:|',
      `| audiovisual training step (Emo16 + ResNet-18 96×96, LSTM 2×512), ${r.batch} × ${r.steps} steps | ${f(r.tfjs.ms / 1000)} s | ${f(r.torch && r.torch.ms / 1000)} s | ${f(r.ratio, 1)}× |`,
      `| generate: ${r.generate.clipSeconds} s mp4 (96×96, 25 fps, soundtrack) + physio CSV → HDF5 | ${f(r.generate.filesPerSecond)} files/s | — | — |`,
      '',
      `PyTorch ${r.torch?.torch ?? '—'} with ${r.torch?.threads ?? 2} threads, channels_last${r.torch?.openblas ? ', OpenBLAS' : ''}; ` +
        `${r.date.slice(0, 10)}, ${r.machine}, load average ${r.loadavg1.toFixed(1)} at the end of the run.`,
    ].join('\n');
  },
};
