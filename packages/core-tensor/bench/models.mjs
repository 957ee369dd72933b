#!/usr/bin/env node
/**
 * core-tensor model benchmark: whole training steps of the networks facelab trains, each against its PyTorch
 * peer in the same run (2 threads, channels_last convolutions, OpenBLAS when available; see bench-utils):
 * - ResNet-18 (core-tensor's convBnAct/basicBlock; batch 16, 112×112, 1000 classes, SGD) here, on every
 *   backend in BENCH_MODEL_BACKENDS (default onnxruntime,wasm), peer bench/torch_resnet18.py;
 * - AffWildNet-vgg16 (2 clips × 80 frames, 96×96) and IR-ResNet-50 (batch 32, 112×112) by running the
 *   affwildnet and arcface packages' own benchmarks (which time their PyTorch peers too) on the default
 *   backend, reading their results.json. BENCH_MODELS=resnet18,vgg16,iresnet50 selects.
 * Writes bench/models-results.json and the bench-models block of README.md.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { PYTHON, hasTorch, loadBuiltPackage, torchPeerEnv, writeAtomic, writeReadmeBenchBlock } from '../../../scripts/bench-utils.mjs';

const { here, pkg, api } = await loadBuiltPackage(import.meta.url);
const { tf, initBackend, convBnAct, basicBlock } = api;

const BATCH = 16;
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const models = (process.env.BENCH_MODELS ?? 'resnet18,vgg16,iresnet50').split(',');
const backends = (process.env.BENCH_MODEL_BACKENDS ?? 'onnxruntime,wasm').split(',');

/** ResNet-18 as torch_resnet18.py builds it. */
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

function resnet18Ms(backend) {
  const model = resnet18();
  const optimizer = tf.train.sgd(0.01);
  const x = tf.randomUniform([BATCH, 112, 112, 3], 0, 1, 'float32', 1);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, (_, i) => (i * 37) % 1000), 'int32'), 1000);
  const step = () => {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true })), true);
    loss.dataSync();
    loss.dispose();
  };
  const ms = medianMs(step, WARMUP, REPS);
  console.error(`  ResNet-18 step on ${backend}: ${ms.toFixed(0)} ms (${model.countParams()} parameters)`);
  tf.dispose([x, labels]);
  optimizer.dispose();
  model.dispose();
  return ms;
}

function torchPeer(script, args) {
  if (!hasTorch()) return undefined;
  const { env, openblas } = torchPeerEnv();
  const res = spawnSync(PYTHON, [join(here, script), ...args.map(String)], { env, encoding: 'utf8', timeout: 1_800_000 });
  if (res.status === 0) return { ...JSON.parse(res.stdout), openblas };
  console.error(`  torch peer failed: ${res.stderr.split('\n').slice(-3).join(' ')}`);
  return undefined;
}

const peerConfig = (p) => (p ? `PyTorch ${p.torch}, ${p.threads} threads, channels_last${p.openblas ? ', OpenBLAS' : ''}` : '—');

/** Runs a paper package's own benchmark (it times its PyTorch peer too) and reads its results. */
function packageBench(name, env) {
  const dir = join(pkg, '..', name);
  const res = spawnSync(process.execPath, [join(dir, 'bench/run.mjs')], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  if (res.status !== 0) throw new Error(`${name} benchmark failed (exit ${res.status})`);
  return JSON.parse(readFileSync(join(dir, 'bench/results.json'), 'utf8'));
}

const load = loadavg()[0];
const rows = [];
if (models.includes('resnet18')) {
  const peer = torchPeer('torch_resnet18.py', [BATCH, WARMUP, REPS]);
  for (const backend of backends) {
    await initBackend(backend);
    rows.push({ op: `ResNet-18 training step, batch ${BATCH}, 112²`, backend, ms: resnet18Ms(backend), peerMs: peer?.ms, peer: peerConfig(peer) });
  }
}
if (models.includes('vgg16')) {
  const r = packageBench('affwildnet', {}); // both networks, so its README table stays whole
  const run = r.runs.find((x) => x.network === 'vgg16');
  rows.push({ op: `AffWildNet-vgg16 training step, ${r.clips}×${r.frames} frames, 96² (time chunks of ${run.chunked})`, backend: r.backend, ms: run.tfjs.ms, peerMs: run.torch?.ms, peer: peerConfig(run.torch) });
}
if (models.includes('iresnet50')) {
  const r = packageBench('arcface', {});
  rows.push({ op: `IR-ResNet-50 + ArcFace training step, batch ${r.batch}, 112² (micro-batches of ${r.microBatch})`, backend: r.backend, ms: r.tfjs.ms, peerMs: r.torch?.ms, peer: peerConfig(r.torch) });
}

const results = { date: new Date().toISOString(), machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`, loadavg1: load, rows };
writeAtomic(join(here, 'models-results.json'), `${JSON.stringify(results, null, 1)}\n`);
const f = (v, d) => (v === undefined ? '—' : v.toFixed(d));
const table = [
  `Measured ${results.date.slice(0, 10)} on ${results.machine} (load average ${load.toFixed(1)} at start), \`node bench/models.mjs\`.`,
  '',
  '| model step | facelab backend | facelab (ms) | PyTorch (ms) | × PyTorch time | peer configuration |',
  '|---|---|---:|---:|---:|---|',
  ...rows.map((r) => `| ${r.op} | ${r.backend} | ${f(r.ms, 0)} | ${f(r.peerMs, 0)} | ${f(r.peerMs && r.ms / r.peerMs, 2)} | ${r.peer} |`),
].join('\n');
writeReadmeBenchBlock(join(pkg, 'README.md'), table, 'bench-models', 'bench/models.mjs from bench/models-results.json');
console.log(table);
