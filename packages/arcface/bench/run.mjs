#!/usr/bin/env node
/**
 * arcface benchmark: IR-ResNet-50 forward + backward (normalised 1000-class head, ArcFace loss), batch 32,
 * 112×112, on the active tfjs backend (initBackend(): wasm where tfjs-node cannot install), and the same
 * network in PyTorch (bench/torch_iresnet.py: 2 threads, channels_last) when /usr/bin/python3 has torch.
 * Prints images/s and the ratio, writes bench/results.json and the Benchmark section of README.md.
 * Runs the built dist/ (builds it first if missing). BENCH_WARMUP (default 1) and BENCH_REPS (default 2) set
 * the untimed and timed steps. The wasm heap (32-bit) cannot hold a batch of 32 at 112×112 for backprop
 * ("memory access out of bounds"; 8 aborts too), so tfjs runs the batch as micro-batches of BENCH_MICRO (default 4) images
 * whose gradients are summed: the same images per step, the same work.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { PYTHON, hasTorch, loadBuiltPackage, torchPeerEnv, writeAtomic, writeReadmeBenchBlock } from '../../../scripts/bench-utils.mjs';

const { here, pkg, api } = await loadBuiltPackage(import.meta.url);
const { tf, initBackend } = await import('@facelab/core-tensor');
const { iresnet, ArcMarginHead, marginSoftmaxLoss } = api;

const BATCH = 32;
const MICRO = Number(process.env.BENCH_MICRO ?? 4);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const REPS = Number(process.env.BENCH_REPS ?? 2);

const backend = await initBackend();
const backbone = iresnet({ depth: 50, seed: 0 });
const head = new ArcMarginHead({ numClasses: 1000, seed: 0 });
const net = tf.model({ inputs: backbone.inputs, outputs: head.apply(backbone.outputs[0]) });
const micro = Array.from({ length: BATCH / MICRO }, (_, m) => ({
  x: tf.randomUniform([MICRO, 112, 112, 3], 0, 255, 'float32', m + 1),
  labels: Array.from({ length: MICRO }, (_, i) => ((m * MICRO + i) * 37) % 1000),
}));
const step = () => {
  let total;
  for (const { x, labels } of micro) {
    const { value, grads } = tf.variableGrads(() => marginSoftmaxLoss(net.apply(x, { training: true }), labels));
    value.dataSync();
    const next = total === undefined ? grads : Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.add(total[k], g)]));
    if (total !== undefined) tf.dispose([...Object.values(total), ...Object.values(grads)]);
    total = next;
    value.dispose();
  }
  tf.dispose(Object.values(total));
};
console.error(
  `arcface bench: iresnet50 fwd+bwd, batch ${BATCH} (micro-batches of ${MICRO}), 112×112, ${backend}: ${WARMUP} warm-up + ${REPS} timed steps`,
);
const times = [];
for (let i = 0; i < WARMUP + REPS; i++) {
  const t0 = performance.now();
  step();
  const ms = performance.now() - t0;
  console.error(`  step ${i + 1}: ${(ms / 1000).toFixed(1)} s${i < WARMUP ? ' (warm-up)' : ''}`);
  if (i >= WARMUP) times.push(ms);
}
times.sort((a, b) => a - b);
const tfjsMs = times[Math.floor(times.length / 2)];

let peer;
if (hasTorch()) {
  const { env, openblas } = torchPeerEnv();
  const res = spawnSync(PYTHON, [join(here, 'torch_iresnet.py'), String(BATCH), '1', String(Math.max(3, REPS))], {
    env,
    encoding: 'utf8',
    timeout: 1_800_000,
  });
  if (res.status === 0) peer = { ...JSON.parse(res.stdout), openblas };
  else console.error(`  torch peer failed: ${res.stderr.split('\n').slice(-3).join(' ')}`);
}

const results = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
  loadavg1: loadavg()[0],
  backend,
  batch: BATCH,
  microBatch: MICRO,
  tfjs: { ms: tfjsMs, imagesPerSecond: (1000 * BATCH) / tfjsMs },
  torch: peer && { ...peer, imagesPerSecond: (1000 * BATCH) / peer.ms },
  ratio: peer ? tfjsMs / peer.ms : undefined,
};
writeAtomic(join(here, 'results.json'), JSON.stringify(results, null, 1) + '\n');

const f = (v, d = 2) => (v === undefined ? '—' : v.toFixed(d));
const table = [
  '| engine | step (s) | images/s |',
  '|---|---:|---:|',
  `| tfjs ${backend} (micro-batches of ${MICRO}) | ${f(tfjsMs / 1000, 1)} | ${f(results.tfjs.imagesPerSecond)} |`,
  `| PyTorch ${peer?.torch ?? '—'} (${peer?.threads ?? 2} threads, channels_last${peer?.openblas ? ', OpenBLAS' : ''}) | ${f(peer && peer.ms / 1000, 1)} | ${f(results.torch?.imagesPerSecond)} |`,
  '',
  `tfjs takes **${f(results.ratio, 1)}×** PyTorch's time (${results.date.slice(0, 10)}, ${results.machine}, load average ${results.loadavg1.toFixed(1)} at the end of the run).`,
].join('\n');
console.log(table);

writeReadmeBenchBlock(join(pkg, 'README.md'), table);
