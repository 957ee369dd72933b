/**
 * core-tensor suite `resnet18`: one ResNet-18 training step (core-tensor's convBnAct/basicBlock; batch 16,
 * 112×112, 1000 classes, SGD) on each backend in `backends`, against its PyTorch peer (torch_resnet18.py:
 * 2 threads, channels_last) in the same run. Options: `backends`, `warmup` and `reps` (untimed and timed steps).
 * BENCHMARKS.md puts it beside the AffWildNet and IR-ResNet steps of the affwildnet and arcface suites.
 */
import { cpus, loadavg } from 'node:os';

const BATCH = 16;
/** Set by run(): the built @facelab/core-tensor. */
let tf;
let convBnAct;
let basicBlock;

/** ResNet-18 as peers/torch_resnet18.py builds it. */
function resnet18() {
  const x = tf.input({ shape: [112, 112, 3] });
  let y = convBnAct(x, { filters: 64, kernelSize: 7, strides: 2, padding: 3, bnEpsilon: 1e-5, seed: 1, name: 'stem' });
  y = tf.layers.zeroPadding2d({ padding: [[1, 1], [1, 1]] }).apply(y);
  y = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid' }).apply(y);
  [64, 128, 256, 512].forEach((filters, s) => {
    for (let b = 0; b < 2; b++) y = basicBlock(y, { filters, strides: s > 0 && b === 0 ? 2 : 1, seed: 1, name: `s${s + 1}b${b + 1}` });
  });
  y = tf.layers.globalAveragePooling2d({}).apply(y);
  y = tf.layers.dense({ units: 1000, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(y);
  return tf.model({ inputs: x, outputs: y });
}

function medianMs(step, warmup, reps) {
  const times = [];
  for (let i = 0; i < warmup + reps; i++) {
    const t0 = performance.now();
    step();
    if (i >= warmup) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function resnet18Ms(backend, warmup, reps) {
  const model = resnet18();
  const optimizer = tf.train.sgd(0.01);
  const x = tf.randomUniform([BATCH, 112, 112, 3], 0, 1, 'float32', 1);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, (_, i) => (i * 37) % 1000), 'int32'), 1000);
  const step = () => {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true })), true);
    loss.dataSync();
    loss.dispose();
  };
  const ms = medianMs(step, warmup, reps);
  console.error(`  ResNet-18 step on ${backend}: ${ms.toFixed(0)} ms (${model.countParams()} parameters)`);
  tf.dispose([x, labels]);
  optimizer.dispose();
  model.dispose();
  return ms;
}

const peerConfig = (p) => (p ? `PyTorch ${p.torch}, ${p.threads} threads, channels_last${p.openblas ? ', OpenBLAS' : ''}` : '—');

export default {
  name: 'resnet18',
  title: 'ResNet-18 training step against PyTorch',
  options: { backends: ['onednn', 'onnxruntime', 'wasm'], warmup: 1, reps: 3 },
  quick: { backends: ['wasm'] },
  async run({ options, runPeer }) {
    const core = await import('@facelab/core-tensor');
    ({ tf, convBnAct, basicBlock } = core);
    const load = loadavg()[0];
    const peer = runPeer('torch_resnet18.py', [BATCH, options.warmup, options.reps]);
    const rows = [];
    for (const backend of options.backends) {
      const loaded = await core.initBackend(backend).catch((err) => console.error(`  ResNet-18 on ${backend}: skipped (${err.message})`));
      if (loaded !== backend) continue;
      const ms = resnet18Ms(backend, options.warmup, options.reps);
      rows.push({ op: `ResNet-18 training step, batch ${BATCH}, 112²`, backend, ms, peerMs: peer?.ms, peer: peerConfig(peer) });
    }
    return { date: new Date().toISOString(), machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`, loadavg1: load, rows };
  },
  report(results) {
    const f = (v, d) => (v === undefined ? '—' : v.toFixed(d));
    return [
      `Measured ${results.date.slice(0, 10)} on ${results.machine} (load average ${results.loadavg1.toFixed(1)} at start).`,
      '',
      '| model step | facelab backend | facelab (ms) | PyTorch (ms) | × PyTorch time | peer configuration |',
      '|---|---|---:|---:|---:|---|',
      ...results.rows.map((r) => `| ${r.op} | ${r.backend} | ${f(r.ms, 0)} | ${f(r.peerMs, 0)} | ${f(r.peerMs && r.ms / r.peerMs, 2)} | ${r.peer} |`),
    ].join('\n');
  },
};
