/**
 * core-tensor suite `ops`: matmul, conv2d forward, a conv2d training step and a GRU layer's forward + backward
 * pass on every tfjs backend that loads (cpu only for the cheap ops: its conv backprop takes minutes), and the
 * same ops in PyTorch (peer torch_ops.py). The wasm backend is also timed with XNNPACK on all cores, in a child
 * run (threads are fixed per process). Options: `backends` (those tried, in order); `warmup` and `reps` ('op': each op's own).
 */
import { cpus, loadavg } from 'node:os';

/** Set by run(): the built @facelab/core-tensor's tf and FusedGru. */
let tf;
let FusedGru;

/**
 * Runs `f` in a tidy scope and reads one value of each result, so the timing covers the whole computation
 * (every backend timed here computes synchronously; the read also waits for an asynchronous one). Reading
 * whole results would copy megabytes out of the wasm heap per call, which PyTorch does not pay, and the
 * garbage V8 then collects stalls the next call's threads.
 */
function forced(f) {
  return () => {
    const outs = tf.tidy(f);
    for (const t of [outs].flat()) {
      const first = tf.tidy(() => t.reshape([-1]).slice(0, 1));
      first.dataSync();
      first.dispose();
    }
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
      const layer = new FusedGru({
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

async function loadable(initBackend, name) {
  try {
    await initBackend(name);
    return true;
  } catch {
    return false;
  }
}

/** Times every op on `backend` with `bestMs` (measure.mjs); `warmup` and `reps` are numbers, or 'op' for each op's own (cpu: 1 and 3). */
function timeBackend(backend, { warmup, reps }, bestMs) {
  const rows = [];
  for (const op of OPS) {
    if (backend === 'cpu' && !op.cheap) continue;
    const { run, dispose } = op.setup();
    const [opWarmup, opReps] = backend === 'cpu' ? [1, 3] : op.reps;
    const ms = bestMs(run, warmup === 'op' ? opWarmup : Number(warmup), reps === 'op' ? opReps : Number(reps));
    dispose();
    rows.push({ op: op.name, backend, ms, gflops: op.flop / ms / 1e6 });
    console.error(`  ${backend.padEnd(8)} ${op.name.padEnd(42)} ${ms.toFixed(1)} ms`);
  }
  return rows;
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

/** The whole section: conditions, peak and peer, then the table. */
function section(results) {
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

export default {
  name: 'ops',
  title: 'core-tensor ops on every backend against PyTorch',
  options: { backends: ['tensorflow-gpu', 'tensorflow', 'onednn', 'onnxruntime', 'wasm', 'cpu'], warmup: 'op', reps: 'op' },
  quick: { backends: ['wasm'] },
  async run({ options, child, runPeer, runChild, measure }) {
    const core = await import('@facelab/core-tensor');
    ({ tf, FusedGru } = core);
    const load = loadavg()[0];
    if (!child && load > cpus().length * 0.75) console.error(`warning: load average ${load.toFixed(1)}: other work will distort the timings`);
    const rows = [];
    let wasmInfo;
    for (const backend of options.backends) {
      if (!(await loadable(core.initBackend, backend))) continue;
      if (backend === 'wasm') {
        const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
        wasmInfo = { simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), threads: getThreadsCount() };
      }
      rows.push(...timeBackend(backend, options, measure.bestMs));
      if (backend === 'wasm' && !child && cpus().length > 1) {
        const threads = cpus().length;
        const r = runChild({ FACELAB_WASM_THREADS: String(threads) }, { backends: ['wasm'] });
        if (r.wasm?.threads === threads) rows.push(...r.rows.map((row) => ({ ...row, backend: `wasm ×${threads} threads` })));
      }
    }
    if (child) return { rows, wasm: wasmInfo };
    const peer = runPeer('torch_ops.py', options.reps === 'op' ? [] : [options.warmup === 'op' ? 0 : Number(options.warmup), Number(options.reps)]);
    if (peer) for (const [op, ms] of Object.entries(peer.ops)) rows.push({ op, backend: 'torch', ms, gflops: OPS.find((o) => o.name === op).flop / ms / 1e6 });
    const peakGflops = peer?.peak_gflops ?? runPeer('numpy_peak.py')?.peak_gflops;
    rows.sort((x, y) => OPS.findIndex((o) => o.name === x.op) - OPS.findIndex((o) => o.name === y.op));
    return {
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, loadAverage: load, node: process.version },
      tfjs: tf.version_core,
      wasm: wasmInfo,
      peakGflops,
      peakSource: peer ? 'best PyTorch torch.mm of 1024³ and 2048³, peer configuration' : 'numpy sgemm 2048³',
      peer: peer ? { config: peer.config, ops: peer.ops } : undefined,
      rows,
    };
  },
  report: section,
};
