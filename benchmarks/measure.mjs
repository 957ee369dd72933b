/**
 * Timing and labelling helpers that every suite shares, handed to suites as `ctx.measure` in `run` and as the second
 * argument of `report`, so that package bench files never import the benchmarks workspace.
 */
import { cpus, loadavg } from 'node:os';

/** Where and when a run happened: { date, machine, loadavg1 }, spread into a suite's results. */
export function runInfo() {
  return { date: new Date().toISOString(), machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`, loadavg1: loadavg()[0] };
}

/**
 * Best wall time (ms) of `reps` calls of `run` after `warmup` untimed ones; `run` must finish its work (read
 * data). Best of N, not the median, on both sides (the PyTorch peer too): on this 2-vCPU VM a run's parallel
 * sections sometimes get one core's worth of time, which makes timings bimodal and medians a coin toss.
 */
export function bestMs(run, warmup, reps) {
  for (let i = 0; i < warmup; i++) run();
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    run();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** The median of `times` (ms), sorted or not; undefined when empty. */
export function median(times) {
  if (times.length === 0) return undefined;
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Logs per-step times (ms) on stderr, marking the first `warmup` as warm-up, and returns the median of the rest. */
export function timedMedian(stepMs, warmup) {
  stepMs.forEach((ms, i) => console.error(`  step ${i + 1}: ${(ms / 1000).toFixed(2)} s${i < warmup ? ' (warm-up)' : ''}`));
  return median(stepMs.slice(warmup));
}

/** Runs `step(i)` for i = 0 … warmup + reps − 1, logging each, and returns the median wall time (ms) of the timed runs. */
export function timeSteps(step, { warmup, reps }) {
  const stepMs = [];
  for (let i = 0; i < warmup + reps; i++) {
    const s0 = performance.now();
    step(i);
    stepMs.push(performance.now() - s0);
  }
  return timedMedian(stepMs, warmup);
}

/** The median step time (ms) from core-tensor trainer records, whose `time` (s) is cumulative since the start. */
export function trainerStepMedian(records, warmup) {
  const ends = records.map((r) => r.time * 1000);
  return timedMedian(
    ends.map((t, i) => t - (i === 0 ? 0 : ends[i - 1])),
    warmup,
  );
}

/** `value.toFixed(digits)`, or '—' for a missing value. */
export function fixed(value, digits = 2) {
  return value === undefined || value === null ? '—' : value.toFixed(digits);
}

/** How the PyTorch peer ran, e.g. 'PyTorch 2.1 with 2 threads, channels_last, OpenBLAS' (peer: runPeer's result). */
export function peerLabel(peer) {
  return `PyTorch ${peer?.torch ?? '—'} with ${peer?.threads ?? 2} threads, channels_last${peer?.openblas ? ', OpenBLAS' : ''}`;
}

/** 'date, machine, load average X at the end of the run' from a results object holding {@link runInfo}. */
export function runLine(results) {
  return `${results.date.slice(0, 10)}, ${results.machine}, load average ${results.loadavg1.toFixed(1)} at the end of the run`;
}

/** { tfjs, torch, ratio } for a step of `images` images taking `tfjsMs` in tfjs and `peer.ms` in the PyTorch peer. */
export function versusPeer(tfjsMs, peer, images) {
  return {
    tfjs: { ms: tfjsMs, imagesPerSecond: (1000 * images) / tfjsMs },
    torch: peer && { ...peer, imagesPerSecond: (1000 * images) / peer.ms },
    ratio: peer ? tfjsMs / peer.ms : undefined,
  };
}

/**
 * The 'engine | step (s) | images/s' table and ratio line for results holding {@link versusPeer} and
 * {@link runInfo}; `step` names the timed unit, `tfjsNote` is appended to the tfjs row's engine name.
 */
export function versusPeerTable(results, { step = 'step', tfjsNote = '', secondsDigits = 2, rateDigits = 1 } = {}) {
  const peer = results.torch;
  return [
    `| engine | ${step} (s) | images/s |`,
    '|---|---:|---:|',
    `| tfjs ${results.backend}${tfjsNote} | ${fixed(results.tfjs.ms / 1000, secondsDigits)} | ${fixed(results.tfjs.imagesPerSecond, rateDigits)} |`,
    `| ${peerLabel(peer)} | ${fixed(peer && peer.ms / 1000, secondsDigits)} | ${fixed(peer?.imagesPerSecond, rateDigits)} |`,
    '',
    `tfjs takes **${fixed(results.ratio, 1)}×** PyTorch's time (${runLine(results)}).`,
  ];
}
