#!/usr/bin/env node
/**
 * Study for issue #23: the "bimodal in-step slowdown" of onnxruntime kernel calls (the same conv ~21 ms or
 * 55–70 ms from call to call inside a training step). Times every onnxruntime-node session run that
 * @facelab/core-tensor's 'onnxruntime' backend makes during repeated conv training steps and prints, per
 * kernel, the distribution (p10/p50/p90/max, the share of calls slower than 1.8× the median) and, for slow
 * against normal calls, what else happened during the call: CPU time and run-queue wait of the main thread,
 * of ORT's worker threads and of the other Node/V8 threads (/proc/self/task/<tid>/schedstat), VM steal ticks
 * (/proc/stat), minor page faults and context switches (process.resourceUsage), and main-thread GC pauses
 * (PerformanceObserver 'gc') in the gap before the call.
 *
 * Measurement harness only: no library code changes. The native session class that core-tensor reaches
 * through onnxruntime-node/dist/binding is replaced, before the first session is made, by a subclass that
 * times run() and can rewrite loadModel()'s options (the spinning variants). On the first run it checks what
 * the binding returns for an output passed in (onnxruntime-node 1.30: a copy) and, at the next run, whether
 * the caller (@facelab/runtime's runGraph) freed that copy already. "Faulted" calls (> 1,000 minor page faults
 * on the main thread: a 12.8 MB copy landing in fresh pages) are counted per kernel.
 *
 * Usage (from the repository root, after `npx nx run core-tensor:build`):
 *   node benchmarks/studies/ort-bimodal.mjs [options]
 * (glibc's malloc tunables, e.g. GLIBC_TUNABLES=glibc.malloc.trim_threshold=…:glibc.malloc.mmap_threshold=…,
 * are printed: they decide whether freed buffers go back to the kernel and fault in again.)
 *     --steps N        timed training steps (default 100)
 *     --warmup N       untimed steps first (default 3)
 *     --shape B,H,W,C  conv input, C→C 3×3 'same' (default 16,56,56,64, core-tensor's ops bench)
 *     --mode M         step: forward + both gradients (default) | forward: the forward conv alone, back to back |
 *                      replay: the forward conv's session run again and again on the same arrays (no tfjs between)
 *     --spin S         default (allow_spinning on, force_spinning_stop as core-tensor sets it) |
 *                      off (session.intra_op.allow_spinning=0) | nostop (spinning, force_spinning_stop removed)
 *     --threads N      intra-op threads of every session (sets FACELAB_ORT_THREADS before core-tensor loads)
 *     --gap-ms N       sleep N ms (busy-free, Atomics.wait) between steps (default 0)
 *     --no-schedstat   skip the per-thread /proc reads around each call
 *     --gc-every-step  a full GC after each step, outside the timed calls (run node with --expose-gc)
 *     --no-fault-probe skip timing the first touch of a fresh 64 MB buffer (done before the workload)
 *     --json FILE      also write every call's record to FILE
 *     --session-options JSON  merged into every session's loadModel options, e.g. '{"enableCpuMemArena":true}'
 *     --label TEXT     a name printed with the results
 * Pin the process with taskset (e.g. `taskset -c 0 node …`); the affinity is printed.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    steps: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '3' },
    shape: { type: 'string', default: '16,56,56,64' },
    mode: { type: 'string', default: 'step' },
    spin: { type: 'string', default: 'default' },
    threads: { type: 'string' },
    'gap-ms': { type: 'string', default: '0' },
    'no-schedstat': { type: 'boolean', default: false },
    'no-fault-probe': { type: 'boolean', default: false },
    'gc-every-step': { type: 'boolean', default: false },
    json: { type: 'string' },
    'session-options': { type: 'string', default: '{}' },
    label: { type: 'string', default: '' },
  },
});
const steps = Number(opt.steps);
const warmup = Number(opt.warmup);
const shape = opt.shape.split(',').map(Number);
const gapMs = Number(opt['gap-ms']);
const schedstat = !opt['no-schedstat'];
if (!['step', 'forward', 'replay'].includes(opt.mode)) throw new Error(`--mode must be step, forward or replay, got '${opt.mode}'`);
if (!['default', 'off', 'nostop'].includes(opt.spin)) throw new Error(`--spin must be default, off or nostop, got '${opt.spin}'`);
if (shape.length !== 4 || shape.some((n) => !(n > 0))) throw new Error(`--shape must be B,H,W,C, got '${opt.shape}'`);
if (opt['gc-every-step'] && typeof globalThis.gc !== 'function') throw new Error('--gc-every-step needs node --expose-gc');
if (opt.threads !== undefined) process.env.FACELAB_ORT_THREADS = opt.threads;
process.env.FACELAB_QUIET = '1';

// ---------------------------------------------------------------- /proc readers
const pid = process.pid;
/** [total jiffies, steal jiffies] of all CPUs, from /proc/stat's first line. */
function cpuStat() {
  const f = readFileSync('/proc/stat', 'latin1');
  const v = f.slice(0, f.indexOf('\n')).trim().split(/\s+/).slice(1).map(Number);
  return [v.slice(0, 8).reduce((a, b) => a + b, 0), v[7] ?? 0];
}
function tids() {
  return readdirSync('/proc/self/task').map(Number);
}
/** schedstat of one thread: [ns on CPU, ns waiting on a run queue]. */
function sched(tid) {
  try {
    const [run, wait] = readFileSync(`/proc/self/task/${tid}/schedstat`, 'latin1').split(' ');
    return [Number(run), Number(wait)];
  } catch {
    return [0, 0];
  }
}
function affinity() {
  const m = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'latin1'));
  return m ? m[1] : '?';
}

/**
 * Cost of first-touching fresh memory: fill a new 64 MB buffer (malloc → mmap, every page faulted in) and
 * fill it again (resident): µs per 4 KiB page each way, and minor faults of the first fill.
 */
function faultProbe() {
  const n = 64 << 20;
  const f0 = process.resourceUsage().minorPageFault;
  let t = performance.now();
  const b = Buffer.allocUnsafeSlow(n);
  b.fill(1);
  const first = performance.now() - t;
  const faults = process.resourceUsage().minorPageFault - f0;
  t = performance.now();
  b.fill(2);
  const again = performance.now() - t;
  return { firstUsPerPage: (1000 * first) / (n / 4096), againUsPerPage: (1000 * again) / (n / 4096), faults };
}

// ---------------------------------------------------------------- the native session, timed
const require = createRequire(import.meta.url);
const bindingModule = require('onnxruntime-node/dist/binding');
const Native = bindingModule.binding.InferenceSession;
let sessionCount = 0;
let firstOptions;
let currentKernel = '?';
/** Every timed run: filled while `recording`. */
const calls = [];
let recording = false;
/** What the binding's run() returns for an output passed in (checked on the first run). */
let resultCheck;
/** The copy the first run returned for a passed-in output, checked at the next run: freed already, or alive. */
let firstCopy;
/** replay mode: the next run is kept as `replay`, a call of the same session on the same arrays. */
let capture = false;
let replay;
let threadGroups = { ort: [], other: [] };

/** Minor page faults of one thread (/proc/self/task/<tid>/stat, field 10). */
function minflt(tid) {
  try {
    const s = readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
    return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[7]);
  } catch {
    return 0;
  }
}
/** [main ns on CPU, main ns waiting, ORT workers', other threads', main minflt, ORT workers' minflt, others' minflt]. */
function schedGroups() {
  const main = sched(pid);
  let ortRun = 0, ortWait = 0, otherRun = 0, otherWait = 0, ortFlt = 0, otherFlt = 0;
  for (const t of threadGroups.ort) { const [r, w] = sched(t); ortRun += r; ortWait += w; ortFlt += minflt(t); }
  for (const t of threadGroups.other) { const [r, w] = sched(t); otherRun += r; otherWait += w; otherFlt += minflt(t); }
  return [main[0], main[1], ortRun, ortWait, otherRun, otherWait, minflt(pid), ortFlt, otherFlt];
}

class TimedSession extends Native {
  constructor() {
    super();
    this.id = sessionCount++;
    this.kernel = currentKernel;
  }
  loadModel(buffer, byteOffset, byteLength, options) {
    const o = { ...options, ...JSON.parse(opt['session-options']), extra: { session: { ...(options.extra?.session ?? {}) } } };
    if (opt.spin === 'off') o.extra.session.intra_op = { allow_spinning: '0' };
    if (opt.spin === 'nostop') delete o.extra.session.force_spinning_stop;
    firstOptions ??= o;
    return super.loadModel(buffer, byteOffset, byteLength, o);
  }
  run(feeds, fetches, options) {
    if (capture) { capture = false; replay = () => this.run(feeds, fetches, options); }
    if (firstCopy !== undefined && resultCheck !== undefined && !resultCheck.includes('; the caller')) {
      resultCheck += firstCopy.byteLength === 0
        ? '; the caller freed (detached) it before the next run'
        : '; the caller left it to the garbage collector (still alive at the next run)';
    }
    if (resultCheck === undefined) {
      const r = super.run(feeds, fetches, options);
      const [name, given] = Object.entries(fetches).find(([, v]) => v !== null) ?? [];
      if (given) {
        const same = r[name].data.buffer === given.data.buffer;
        resultCheck = `run() given an output array returns ${same ? 'that array' : `a new ${r[name].data.byteLength}-byte array (a copy, besides writing the given one)`}`;
        if (!same) firstCopy = r[name].data.buffer;
      }
      return r;
    }
    if (!recording) return super.run(feeds, fetches, options);
    const ru0 = process.resourceUsage();
    const [tot0, st0] = cpuStat();
    const s0 = schedstat ? schedGroups() : undefined;
    const t0 = performance.now();
    const r = super.run(feeds, fetches, options);
    const t1 = performance.now();
    const s1 = schedstat ? schedGroups() : undefined;
    const [tot1, st1] = cpuStat();
    const ru1 = process.resourceUsage();
    calls.push({
      kernel: `${this.kernel}#${this.id}`,
      t0,
      ms: t1 - t0,
      minflt: ru1.minorPageFault - ru0.minorPageFault,
      vcsw: ru1.voluntaryContextSwitches - ru0.voluntaryContextSwitches,
      ivcsw: ru1.involuntaryContextSwitches - ru0.involuntaryContextSwitches,
      stealTicks: st1 - st0,
      totalTicks: tot1 - tot0,
      ...(s0 && {
        mainCpuMs: (s1[0] - s0[0]) / 1e6,
        mainWaitMs: (s1[1] - s0[1]) / 1e6,
        ortCpuMs: (s1[2] - s0[2]) / 1e6,
        ortWaitMs: (s1[3] - s0[3]) / 1e6,
        otherCpuMs: (s1[4] - s0[4]) / 1e6,
        otherWaitMs: (s1[5] - s0[5]) / 1e6,
        mainFlt: s1[6] - s0[6],
        ortFlt: s1[7] - s0[7],
        otherFlt: s1[8] - s0[8],
      }),
    });
    return r;
  }
}
bindingModule.binding.InferenceSession = TimedSession;

// ---------------------------------------------------------------- GC pauses
const gcs = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push({ start: e.startTime, ms: e.duration, kind: e.detail?.kind });
}).observe({ entryTypes: ['gc'] });
const flush = () => new Promise((resolve) => setImmediate(resolve));

// ---------------------------------------------------------------- the workload
const probe = opt['no-fault-probe'] ? undefined : faultProbe();
const threadsBefore = new Set(tids());
const core = await import('@facelab/core-tensor');
const { tf } = core;
await core.initBackend('onnxruntime');
const threadsAfterInit = new Set(tids());

// Name the kernel that makes each session: wrap every kernel of the active backend.
for (const k of tf.getKernelsForBackend(tf.getBackend())) {
  const f = k.kernelFunc;
  tf.unregisterKernel(k.kernelName, k.backendName);
  tf.registerKernel({
    ...k,
    kernelFunc: (args) => {
      const prev = currentKernel;
      currentKernel = k.kernelName;
      try { return f(args); } finally { currentKernel = prev; }
    },
  });
}

const [B, H, W, C] = shape;
const x = tf.randomNormal([B, H, W, C], 0, 1, 'float32', 5);
const w = tf.randomNormal([3, 3, C, C], 0, 0.05, 'float32', 6);
const dy = tf.randomNormal([B, H, W, C], 0, 1, 'float32', 7);
const grads = tf.grads((xi, wi) => tf.conv2d(xi, wi, 1, 'same').mul(dy).sum());
function once() {
  // The replayed run writes into the heap region of an output already disposed: nothing reuses it, as no tfjs
  // call runs between replays.
  if (opt.mode === 'replay' && replay) return void replay();
  if (opt.mode === 'replay') capture = true;
  const outs = tf.tidy(() => (opt.mode === 'step' ? grads([x, w]) : tf.conv2d(x, w, 1, 'same')));
  for (const t of [outs].flat()) {
    const first = tf.tidy(() => t.reshape([-1]).slice(0, 1));
    first.dataSync();
    first.dispose();
  }
  tf.dispose(outs);
}
const sleeper = new Int32Array(new SharedArrayBuffer(4));

for (let i = 0; i < warmup; i++) { once(); await flush(); }
// Threads made since the backend loaded are ORT's pools (sessions are created on first use).
const all = tids();
threadGroups = {
  ort: all.filter((t) => !threadsAfterInit.has(t)),
  other: all.filter((t) => t !== pid && threadsAfterInit.has(t)),
};
const tensorsBefore = tf.memory().numTensors;
const [totA, stA] = cpuStat();
const stepMs = [];
const gcFrom = performance.now();
recording = true;
for (let i = 0; i < steps; i++) {
  const t = performance.now();
  once();
  stepMs.push(performance.now() - t);
  if (opt['gc-every-step']) globalThis.gc();
  await flush();
  if (gapMs > 0) Atomics.wait(sleeper, 0, 0, gapMs);
}
recording = false;
await flush();
const [totB, stB] = cpuStat();
if (tf.memory().numTensors !== tensorsBefore) console.error(`warning: ${tf.memory().numTensors - tensorsBefore} tensors leaked`);

// ---------------------------------------------------------------- report
const q = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))];
const f1 = (v) => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(1));
const mean = (a, k) => (a.length ? a.reduce((s, c) => s + (c[k] ?? 0), 0) / a.length : NaN);

console.log(`# ort-bimodal ${opt.label}`.trim());
console.log(
  `mode ${opt.mode}${opt['gc-every-step'] ? ' + gc() every step' : ''}, shape ${shape.join('×')} (3×3 ${C}→${C}), spin ${opt.spin}, ORT threads ${process.env.FACELAB_ORT_THREADS ?? 'default (all cores)'}, ` +
    `affinity ${affinity()}, ${steps} steps after ${warmup} warm-up, gap ${gapMs} ms, load average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
);
if (probe) console.log(`fault probe (fresh 64 MB): first touch ${probe.firstUsPerPage.toFixed(2)} µs per 4 KiB page (${probe.faults} minor faults), resident ${probe.againUsPerPage.toFixed(2)} µs`);
console.log(`GLIBC_TUNABLES ${process.env.GLIBC_TUNABLES ?? '(unset)'}`);
console.log(resultCheck ?? 'run() result not checked');
console.log(`session options: ${JSON.stringify(firstOptions)}`);
console.log(`threads: ${threadsBefore.size} before core-tensor, ${threadsAfterInit.size} after initBackend, ${threadGroups.ort.length} ORT pool threads, ${threadGroups.other.length} other non-main`);
const sortedSteps = [...stepMs].sort((a, b) => a - b);
console.log(`step ms: best ${f1(sortedSteps[0])} p10 ${f1(q(sortedSteps, 0.1))} p50 ${f1(q(sortedSteps, 0.5))} p90 ${f1(q(sortedSteps, 0.9))} max ${f1(sortedSteps.at(-1))}`);
console.log(`steal over the run: ${stB - stA} of ${totB - totA} jiffies (${f1((100 * (stB - stA)) / Math.max(1, totB - totA))} %)`);
const gcsIn = gcs.filter((g) => g.start >= gcFrom);
console.log(`GC pauses (main thread) during the run: ${gcsIn.length}, ${f1(gcsIn.reduce((s, g) => s + g.ms, 0))} ms in all, longest ${f1(Math.max(0, ...gcsIn.map((g) => g.ms)))} ms`);

const byKernel = new Map();
for (const c of calls) (byKernel.get(c.kernel) ?? byKernel.set(c.kernel, []).get(c.kernel)).push(c);
const cols = ['ms', 'mainCpuMs', 'mainWaitMs', 'ortCpuMs', 'ortWaitMs', 'otherCpuMs', 'otherWaitMs', 'stealTicks', 'minflt', 'mainFlt', 'ortFlt', 'otherFlt', 'vcsw', 'ivcsw', 'gcBefore'];
// gcBefore: main-thread GC pause ms ending in the 50 ms before the call started.
for (const c of calls) c.gcBefore = gcsIn.filter((g) => g.start + g.ms <= c.t0 && g.start + g.ms > c.t0 - 50).reduce((s, g) => s + g.ms, 0);
for (const [kernel, cs] of byKernel) {
  const ms = cs.map((c) => c.ms).sort((a, b) => a - b);
  const med = q(ms, 0.5);
  const slow = cs.filter((c) => c.ms > 1.8 * med);
  const normal = cs.filter((c) => c.ms <= 1.8 * med);
  console.log(
    `\n${kernel}: n ${ms.length}  best ${f1(ms[0])}  p10 ${f1(q(ms, 0.1))}  p50 ${f1(med)}  p90 ${f1(q(ms, 0.9))}  max ${f1(ms.at(-1))} ms  ` +
      `> 1.8× median: ${slow.length} (${f1((100 * slow.length) / ms.length)} %)`,
  );
  // Histogram in bins of 1/8 of the median.
  const bin = Math.max(0.05, med / 8);
  const counts = new Map();
  for (const v of ms) { const b = Math.floor(v / bin); counts.set(b, (counts.get(b) ?? 0) + 1); }
  const top = Math.max(...counts.values());
  for (const b of [...counts.keys()].sort((a, b2) => a - b2)) {
    console.log(`  ${f1(b * bin).padStart(7)}–${f1((b + 1) * bin).padEnd(7)} ${String(counts.get(b)).padStart(4)} ${'#'.repeat(Math.ceil((40 * counts.get(b)) / top))}`);
  }
  console.log(`  mean per call      ${cols.map((k) => k.padStart(12)).join('')}`);
  for (const [name, group] of [['normal', normal], ['slow (>1.8×)', slow]]) {
    console.log(`  ${(name + ` n=${group.length}`).padEnd(18)} ${cols.map((k) => f1(mean(group, k)).padStart(12)).join('')}`);
  }
}
// A "faulted" call first-touched fresh memory: more than 1,000 minor page faults on the main thread (whole
// process without schedstat) — a 12.8 MB output copy in fresh pages is 3,136; normal calls have 0–10.
const FAULTED = 1000;
const faultsOf = (c) => c.mainFlt ?? c.minflt;
console.log(`\nfaulted calls (> ${FAULTED} minor page faults on the main thread${schedstat ? '' : ', whole process'}; kernel: faulted/n, p50 ms faulted vs not):`);
for (const [kernel, cs] of byKernel) {
  const p50 = (xs) => (xs.length ? q(xs.map((c) => c.ms).sort((a, b) => a - b), 0.5) : NaN);
  const faulted = cs.filter((c) => faultsOf(c) > FAULTED);
  console.log(`FAULTED ${opt.label || '-'} ${kernel} ${faulted.length}/${cs.length} (${f1(p50(faulted))} vs ${f1(p50(cs.filter((c) => faultsOf(c) <= FAULTED)))})`);
}
console.log('\nsummary (kernel: p10/p50/p90/max ms, share > 1.8× median; slow vs normal means of ortCpuMs, mainWaitMs, ortWaitMs, otherCpuMs, minflt, stealTicks):');
for (const [kernel, cs] of byKernel) {
  const ms = cs.map((c) => c.ms).sort((a, b) => a - b);
  const med = q(ms, 0.5);
  const slow = cs.filter((c) => c.ms > 1.8 * med);
  const normal = cs.filter((c) => c.ms <= 1.8 * med);
  const pair = (k) => `${f1(mean(slow, k))}/${f1(mean(normal, k))}`;
  console.log(
    `SUMMARY ${opt.label || '-'} ${kernel} ${ms.map((v) => v).length} ${[0.1, 0.5, 0.9].map((p) => f1(q(ms, p))).join('/')}/${f1(ms.at(-1))} ` +
      `${f1((100 * slow.length) / ms.length)}% ` +
      (probe ? `faultMsEst ${f1((mean(slow, 'mainFlt') * probe.firstUsPerPage) / 1000)}/${f1((mean(normal, 'mainFlt') * probe.firstUsPerPage) / 1000)} ` : '') +
      `ortCpu ${pair('ortCpuMs')} mainWait ${pair('mainWaitMs')} ortWait ${pair('ortWaitMs')} otherCpu ${pair('otherCpuMs')} minflt ${pair('minflt')} (main ${pair('mainFlt')} ort ${pair('ortFlt')} other ${pair('otherFlt')}) steal ${pair('stealTicks')}`,
  );
}
if (opt.json) writeFileSync(opt.json, JSON.stringify({ opt, affinity: affinity(), stepMs, gcs: gcsIn, calls }, null, 0));
