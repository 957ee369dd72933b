/**
 * end2you suite `step`: one training step (forward, masked CCC loss, backward, Adam update) of the audiovisual
 * model (Emo16 on 640-sample frames + ResNet-18 on 96×96 faces, concatenated, 2×512 recurrent layers, 2 outputs) at
 * batch 2 × `steps` steps on the active tfjs backend (initBackend()), against the same network in PyTorch in the
 * same run (peer torch_end2you.py: 2 threads, channels_last); and `generate` throughput (files/s) on synthetic
 * raw files (a 4 s, 25 fps, 96×96 talking-face mp4 with soundtrack + a physiological CSV + labels at 40 ms).
 * Options: `steps` (default 150), `warmup`, `reps`, `chunk` (frames per ResNet-18 chunk), `files` (generate inputs).
 *
 * The wasm heap cannot hold the 300 frames' activations for backprop (Emo16's 40-tap convolution alone unfolds
 * to 300 × 319 × 1600 floats = 612 MB), so the tfjs step runs the two per-frame encoders (Emo16, ResNet-18) in
 * chunks of `chunk` frames with exact gradients (as affwildnet's bench): features of all frames without a tape,
 * the rest (concatenation, LSTM, head, loss) differentiated on them, then each chunk's encoder run again with a
 * tape and back-propagated with its slice of d loss / d features. This costs one extra encoder forward pass,
 * and ResNet-18's batch norm normalises over a chunk, not all 300 frames. `cell` (default 'gru', core-tensor's
 * fused GRU, in both frameworks): tfjs's LSTM layer runs step by step and keeps per-step copies of its
 * 1788 × 2048 input kernel for the gradient, which overflows the wasm heap at 150 steps ('lstm' restores
 * upstream's cell for shorter `steps`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  options: { steps: 150, warmup: 1, reps: 2, chunk: 50, cell: 'gru', files: 4 },
  quick: { steps: 10, chunk: 5, files: 1 },
  async run({ options, runPeer, measure }) {
    const { tf, initBackend, recurrentStack } = await import('@facelab/core-tensor');
    const { emo16Features, visualFeatures, sequenceLoss, lengthMask, defaultRnn } = await import('@facelab/end2you');
    const backend = await initBackend();
    const steps = Number(options.steps);
    const chunk = Number(options.chunk);
    // The audiovisual model of createEnd2YouModel, split after its two per-frame encoders.
    const frame = tf.input({ shape: [96, 96, 3] });
    const samples = tf.input({ shape: [640] });
    const encoders = [
      tf.model({ inputs: samples, outputs: emo16Features(samples, { seed: 1 }) }),
      tf.model({ inputs: frame, outputs: visualFeatures(frame, { net: 'resnet18', seed: 1 }) }),
    ];
    const afeat = tf.input({ shape: [null, 1276] });
    const vfeat = tf.input({ shape: [null, 512] });
    const fused = tf.layers.concatenate({ axis: -1 }).apply([afeat, vfeat]);
    const hidden = recurrentStack(fused, { ...defaultRnn(['audio', 'visual']), cell: options.cell, name: 'rnn', seed: 1, init: 'pytorch' });
    const head = tf.model({ inputs: [afeat, vfeat], outputs: tf.layers.dense({ units: 2 }).apply(hidden) });
    const params = encoders.reduce((n, e) => n + e.countParams(), head.countParams());
    const optimizer = tf.train.adam(1e-4);
    const inputs = [tf.randomNormal([BATCH * steps, 640], 0, 0.1, 'float32', 1), tf.randomUniform([BATCH * steps, 96, 96, 3], 0, 1, 'float32', 2)];
    const y = tf.randomUniform([BATCH, steps, 2], -1, 1, 'float32', 3);
    const mask = lengthMask([steps, steps], steps);
    const starts = Array.from({ length: Math.ceil((BATCH * steps) / chunk) }, (_, c) => c * chunk);
    const part = (t, start) => t.slice([start], [Math.min(chunk, t.shape[0] - start)]);
    const vars = (m) => m.trainableWeights.map((w) => w.read());
    console.error(`end2you bench: audiovisual (${params} parameters), ${BATCH} × ${steps} steps, ${backend}, encoders in chunks of ${chunk} frames`);
    const step = (i) => {
      // Encoder features chunk by chunk without a tape (one tidy per chunk: one chunk's activations at a time).
      const fvs = encoders.map((enc, e) => {
        const chunks = starts.map((s) => tf.tidy(() => enc.apply(part(inputs[e], s), { training: true })));
        const f = tf.tidy(() => tf.concat(chunks, 0).reshape([BATCH, steps, -1]));
        tf.dispose(chunks);
        const v = tf.variable(f, true, `bench_features_${i}_${e}`);
        f.dispose();
        return v;
      });
      const top = tf.variableGrads(() => sequenceLoss('ccc', y, head.apply(fvs, { training: true }), mask), [...vars(head), ...fvs]);
      const total = Object.fromEntries(Object.entries(top.grads).filter(([k]) => !fvs.some((v) => v.name === k)));
      encoders.forEach((enc, e) => {
        const dF = top.grads[fvs[e].name].reshape([BATCH * steps, -1]);
        for (const s of starts) {
          const g = tf.variableGrads(() => tf.sum(tf.mul(enc.apply(part(inputs[e], s), { training: true }), part(dF, s))), vars(enc));
          for (const [k, t] of Object.entries(g.grads)) {
            const prev = total[k];
            total[k] = prev ? tf.add(prev, t) : t;
            if (prev) tf.dispose([prev, t]);
          }
          g.value.dispose();
        }
        dF.dispose();
      });
      optimizer.applyGradients(total);
      top.value.dataSync();
      tf.dispose([top.value, ...fvs.map((v) => top.grads[v.name]), ...fvs, ...Object.values(total)]);
    };
    const tfjsMs = measure.timeSteps(step, { warmup: Number(options.warmup), reps: Number(options.reps) });
    tf.dispose([...inputs, y, mask]);
    optimizer.dispose();
    for (const m of [...encoders, head]) m.dispose();
    const peer = runPeer('torch_end2you.py', [BATCH, steps, options.warmup, options.reps, options.cell]);
    const gen = await generateThroughput(Number(options.files));
    return {
      ...measure.runInfo(), backend,
      batch: BATCH, steps, chunk, cell: options.cell, params, tfjs: { ms: tfjsMs }, torch: peer, ratio: peer ? tfjsMs / peer.ms : undefined, generate: gen,
    };
  },
  report(r, { fixed: f, peerLabel, runLine }) {
    return [
      `| work | tfjs ${r.backend} | PyTorch | tfjs / PyTorch |`,
      '|---|---:|---:|---:|',
      `| audiovisual training step (Emo16 + ResNet-18 96×96, ${r.cell.toUpperCase()} 2×512; ${r.params} parameters), ${r.batch} × ${r.steps} steps; tfjs encoders in chunks of ${r.chunk} frames | ${f(r.tfjs.ms / 1000)} s | ${f(r.torch && r.torch.ms / 1000)} s | ${f(r.ratio, 1)}× |`,
      `| generate: ${r.generate.clipSeconds} s mp4 (96×96, 25 fps, soundtrack) + physio CSV → HDF5 | ${f(r.generate.filesPerSecond)} files/s | — | — |`,
      '',
      `${peerLabel(r.torch)}; ${runLine(r)}.`,
    ].join('\n');
  },
};
