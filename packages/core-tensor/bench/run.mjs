#!/usr/bin/env node
/**
 * core-tensor benchmark: times matmul, conv2d forward, a conv2d training step and a GRU layer's forward +
 * backward pass on every tfjs backend that loads (cpu only for the cheap ops: its conv backprop takes
 * minutes), runs the same ops in PyTorch (bench/torch_peer.py) when /usr/bin/python3 has torch, writes
 * bench/results.json and regenerates the Benchmark table in README.md between the bench markers.
 * Runs the built dist/ with plain node (builds it first if missing).
 */
import { spawnSync } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PYTHON, hasTorch, loadBuiltPackage, torchPeerEnv, writeAtomic, writeReadmeBenchBlock } from '../../../scripts/bench-utils.mjs';

const { here, pkg, api } = await loadBuiltPackage(import.meta.url);
const { tf, initBackend } = api;


/**
 * Best wall time (ms) of `reps` calls of `run` after `warmup` untimed ones; `run` must finish its work (read
 * data). Best of N, not the median, on both sides (the PyTorch peer too): on this 2-vCPU VM a run's parallel
 * sections sometimes get one core's worth of time, which makes timings bimodal and medians a coin toss.
 */
function bestMs(run, warmup, reps) {
  for (let i = 0; i < warmup; i++) run();
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    run();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/**
 * Runs `f` in a tidy scope and reads one value of each result, so the timing covers the whole computation
 * (every backend timed here computes synchronously; the read also waits for an asynchronous one). Reading
 * whole results would copy megabytes out of the wasm heap per call, which PyTorch does not pay, and the
 * garbage V8 then collects stalls the next call's threads.
 */
function forced(f) {
  return () => {
    const outs = tf.tidy(f);
    for (const t of [outs].flat()) tf.tidy(() => t.reshape([-1]).slice(0, 1)).dataSync();
    tf.dispose(outs);
  };
}

const convFlop = 2 * 16 * 56 * 56 * 3 * 3 * 64 * 64;
const gruFlop = 2 * 8 * 80 * (512 + 128) * 3 * 128; // three gates, input and recurrent products
/** The ops: name, FLOPs, whether the cpu backend runs it in reasonable time, and a setup returning the timed call. */
const OPS = [
  {
    name: 'matmul 1024³',
    flop: 2 * 1024 ** 3,
    cheap: true,
    reps: [2, 15],
    setup() {
      const a = tf.randomNormal([1024, 1024], 0, 1, 'float32', 1);
      const b = tf.randomNormal([1024, 1024], 0, 1, 'float32', 2);
      return { run: forced(() => tf.matMul(a, b)), dispose: () => tf.dispose([a, b]) };
    },
  },
  {
    name: 'conv2d forward 16×56×56×64→64 3×3',
    flop: convFlop,
    cheap: true,
    reps: [2, 15],
    setup() {
      const x = tf.randomNormal([16, 56, 56, 64], 0, 1, 'float32', 3);
      const w = tf.randomNormal([3, 3, 64, 64], 0, 0.05, 'float32', 4);
      return { run: forced(() => tf.conv2d(x, w, 1, 'same')), dispose: () => tf.dispose([x, w]) };
    },
  },
  {
    name: 'conv2d training step 16×56×56×64→64 3×3',
    flop: 3 * convFlop, // forward, input gradient, filter gradient
    cheap: false,
    reps: [2, 11],
    setup() {
      const x = tf.randomNormal([16, 56, 56, 64], 0, 1, 'float32', 5);
      const w = tf.randomNormal([3, 3, 64, 64], 0, 0.05, 'float32', 6);
      const dy = tf.randomNormal([16, 56, 56, 64], 0, 1, 'float32', 7);
      const grads = tf.grads((xi, wi) => tf.conv2d(xi, wi, 1, 'same').mul(dy).sum());
      return { run: forced(() => grads([x, w])), dispose: () => tf.dispose([x, w, dy]) };
    },
  },
  {
    name: 'GRU fwd+bwd 8×80×512→128',
    flop: 3 * gruFlop,
    cheap: false,
    reps: [2, 11],
    setup() {
      const seq = tf.randomNormal([8, 80, 512], 0, 1, 'float32', 8);
      // core-tensor's FusedGru (what recurrentStack builds): tfjs GRU weights and equations, fused recurrence.
      const layer = new api.FusedGru({
        units: 128,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }),
        recurrentInitializer: tf.initializers.glorotUniform({ seed: 10 }),
      });
      layer.apply(seq).dispose(); // builds the weights
      return {
        run: forced(() => Object.values(tf.variableGrads(() => layer.apply(seq).sum()).grads)),
        dispose: () => {
          seq.dispose();
          layer.dispose();
        },
      };
    },
  },
];

async function loadable(name) {
  try {
    await initBackend(name);
    return true;
  } catch {
    return false;
  }
}

function timeBackend(backend) {
  const rows = [];
  for (const op of OPS) {
    if (backend === 'cpu' && !op.cheap) continue;
    const { run, dispose } = op.setup();
    const ms = bestMs(run, ...(backend === 'cpu' ? [1, 3] : op.reps));
    dispose();
    rows.push({ op: op.name, backend, ms, gflops: op.flop / ms / 1e6 });
    console.error(`  ${backend.padEnd(8)} ${op.name.padEnd(42)} ${ms.toFixed(1)} ms`);
  }
  return rows;
}

function runPeer() {
  if (!hasTorch()) return undefined;
  const { env, openblas } = torchPeerEnv();
  console.error(`  torch    (peer${openblas ? ', OpenBLAS' : ''})`);
  const res = spawnSync(PYTHON, [join(here, 'torch_peer.py')], { env, encoding: 'utf8', timeout: 600_000 });
  if (res.status !== 0) {
    console.error(`  torch peer failed: ${res.stderr.split('\n').slice(-3).join(' ')}`);
    return undefined;
  }
  return JSON.parse(res.stdout);
}

/** fp32 peak from numpy's sgemm 2048³ when torch is not there to measure it. */
function numpyPeak() {
  const code =
    'import numpy as n,time;a=n.random.rand(2048,2048).astype(n.float32);a@a;t=[];' +
    '[(s:=time.perf_counter(),a@a,t.append(time.perf_counter()-s)) for _ in range(5)];' +
    'print(2*2048**3/sorted(t)[2]/1e9)';
  const res = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8' });
  return res.status === 0 ? Number(res.stdout.trim()) : undefined;
}

function fmt(x, digits) {
  return x === undefined || Number.isNaN(x) ? '—' : x.toFixed(digits);
}

function table(results) {
  const lines = [
    '| op | backend | ms | GFLOP/s | of peak | PyTorch ms | × PyTorch time | peer configuration |',
    '|---|---|---:|---:|---:|---:|---:|---|',
  ];
  const peerConfig = results.peer?.config ?? '—';
  for (const r of results.rows) {
    const peer = results.peer?.ops[r.op];
    const ratio = r.backend === 'torch' || peer === undefined ? undefined : r.ms / peer;
    const ofPeak = results.peakGflops ? `${((100 * r.gflops) / results.peakGflops).toFixed(1)} %` : '—';
    const peerCols = r.backend === 'torch' ? '— | — | —' : `${fmt(peer, 1)} | ${fmt(ratio, 2)} | ${peerConfig}`;
    lines.push(`| ${r.op} | ${r.backend} | ${fmt(r.ms, 1)} | ${fmt(r.gflops, 1)} | ${ofPeak} | ${peerCols} |`);
  }
  return lines.join('\n');
}

function readmeSection(results) {
  const m = results.machine;
  return [
    `Measured ${results.date.slice(0, 10)} on ${m.cpu} (${m.cores} logical cores, load average ${m.loadAverage.toFixed(1)} ` +
      `at start), Node ${m.node}, tfjs ${results.tfjs}${results.wasm ? `, wasm SIMD ${results.wasm.simd ? 'on' : 'off'}` : ''}. ` +
      '`onnxruntime` runs convolutions, products and reductions on onnxruntime-node (all cores) and the rest on wasm; ' +
      '`wasm` is one thread (the default); `wasm ×N threads` sets `FACELAB_WASM_THREADS=N`.',
    `fp32 peak (${results.peakSource}): ${fmt(results.peakGflops, 0)} GFLOP/s. ` +
      `Peer: ${results.peer ? results.peer.config : 'none (PyTorch not importable)'}.`,
    'A training step counts 3× the forward FLOPs. Best of 11–15 runs after warm-up, on both sides (the VM\'s timings are bimodal).',
    '',
    table(results),
  ].join('\n');
}

function updateReadme(results) {
  writeReadmeBenchBlock(join(pkg, 'README.md'), readmeSection(results));
}

/** Times the wasm backend with XNNPACK on `threads` threads in a child process (threads are fixed per process). */
function threadedWasmRows(threads) {
  const env = { ...process.env, FACELAB_WASM_THREADS: String(threads), FACELAB_BENCH_CHILD: '1', FACELAB_BENCH_BACKENDS: 'wasm' };
  const res = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (res.status !== 0) return [];
  const { rows, threads: got } = JSON.parse(res.stdout);
  return got === threads ? rows.map((r) => ({ ...r, backend: `wasm ×${threads} threads` })) : [];
}

const load = loadavg()[0];
const child = process.env.FACELAB_BENCH_CHILD === '1';
if (!child && load > cpus().length * 0.75) console.error(`warning: load average ${load.toFixed(1)}: other work will distort the timings`);
const rows = [];
let wasmInfo;
// FACELAB_BENCH_BACKENDS=wasm,cpu limits the run (default: every backend that loads).
const wanted = process.env.FACELAB_BENCH_BACKENDS?.split(',').filter(Boolean);
for (const backend of ['tensorflow-gpu', 'tensorflow', 'onnxruntime', 'wasm', 'cpu']) {
  if (wanted !== undefined && !wanted.includes(backend)) continue;
  if (!(await loadable(backend))) continue;
  if (backend === 'wasm') {
    const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
    wasmInfo = { simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), threads: getThreadsCount() };
  }
  rows.push(...timeBackend(backend));
  if (backend === 'wasm' && !child && cpus().length > 1) rows.push(...threadedWasmRows(cpus().length));
}
if (child) {
  process.stdout.write(JSON.stringify({ rows, threads: wasmInfo?.threads }));
  process.exit(0);
}
const peer = runPeer();
if (peer) for (const [op, ms] of Object.entries(peer.ops)) rows.push({ op, backend: 'torch', ms, gflops: OPS.find((o) => o.name === op).flop / ms / 1e6 });
const peakGflops = peer?.peak_gflops ?? numpyPeak();
rows.sort((x, y) => OPS.findIndex((o) => o.name === x.op) - OPS.findIndex((o) => o.name === y.op));
const results = {
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, loadAverage: load, node: process.version },
  tfjs: tf.version.tfjs,
  wasm: wasmInfo,
  peakGflops,
  peakSource: peer ? 'best PyTorch torch.mm of 1024³ and 2048³, peer configuration' : 'numpy sgemm 2048³',
  peer: peer ? { config: peer.config, ops: peer.ops } : undefined,
  rows,
};
writeAtomic(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
updateReadme(results);
console.log(table(results));
