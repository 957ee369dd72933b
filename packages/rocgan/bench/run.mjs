#!/usr/bin/env node
/**
 * rocgan benchmark: one RoCGAN training iteration (discriminator step, then generator step through both
 * pathways, EMA update) at batch 64, 64×64, the reference's 5-layer layout, on the default tfjs backend
 * (initBackend()), and the same layers and step in PyTorch (bench/rocgan_torch.py: 2 threads, channels_last,
 * OpenBLAS when it can be unpacked) in the same run. Prints the ratio, writes bench/results.json and the
 * Benchmark block of README.md. Runs the built dist/ (built first if missing). BENCH_WARMUP (default 1),
 * BENCH_REPS (default 2) and BENCH_BATCH (default 64) set the untimed steps, timed steps and batch.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { PYTHON, hasTorch, loadBuiltPackage, torchPeerEnv, writeAtomic, writeReadmeBenchBlock } from '../../../scripts/bench-utils.mjs';

const { here, pkg, api } = await loadBuiltPackage(import.meta.url);
const { initBackend } = await import('@facelab/core-tensor');
const { createRocGan, disposeRocGan, fitRocGan, memorySource } = api;

const BATCH = Number(process.env.BENCH_BATCH ?? 64);
const SIZE = 64;
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const REPS = Number(process.env.BENCH_REPS ?? 2);

const backend = await initBackend();
const net = createRocGan({ seed: 0 });
const targets = Array.from({ length: BATCH }, (_, i) => Uint8Array.from({ length: SIZE * SIZE * 3 }, (_, k) => (k * 31 + i * 17) % 256));
const data = memorySource({ targets, imageSize: SIZE });
console.error(`rocgan bench: one D + G iteration, batch ${BATCH}, ${SIZE}×${SIZE}, ${backend}: ${WARMUP} warm-up + ${REPS} timed`);
// One fitRocGan run of WARMUP + REPS iterations; the trainer's per-step wall times (record.time is cumulative).
const { result } = await fitRocGan({ net, data, steps: WARMUP + REPS, batchSize: BATCH, progress: false });
const ends = result.records.map((r) => r.time * 1000);
const stepMs = ends.map((t, i) => t - (i === 0 ? 0 : ends[i - 1]));
stepMs.forEach((ms, i) => console.error(`  step ${i + 1}: ${(ms / 1000).toFixed(2)} s${i < WARMUP ? ' (warm-up)' : ''}`));
const timed = stepMs.slice(WARMUP).sort((a, b) => a - b);
const tfjsMs = timed[Math.floor(timed.length / 2)];
disposeRocGan(net);

let peer;
if (hasTorch()) {
  const { env, openblas } = torchPeerEnv();
  const res = spawnSync(PYTHON, [join(here, 'rocgan_torch.py'), String(BATCH), String(SIZE), '1', String(Math.max(3, REPS))], {
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
  size: SIZE,
  tfjs: { ms: tfjsMs, imagesPerSecond: (1000 * BATCH) / tfjsMs },
  torch: peer && { ...peer, imagesPerSecond: (1000 * BATCH) / peer.ms },
  ratio: peer ? tfjsMs / peer.ms : undefined,
};
writeAtomic(join(here, 'results.json'), JSON.stringify(results, null, 1) + '\n');

const f = (v, d = 2) => (v === undefined ? '—' : v.toFixed(d));
const table = [
  `One RoCGAN iteration (D step + G step through both pathways), batch ${BATCH}, ${SIZE}×${SIZE}, the reference's 5-layer layout.`,
  '',
  '| engine | iteration (s) | images/s |',
  '|---|---:|---:|',
  `| tfjs ${backend} | ${f(tfjsMs / 1000, 2)} | ${f(results.tfjs.imagesPerSecond, 1)} |`,
  `| PyTorch ${peer?.torch ?? '—'} (${peer?.threads ?? 2} threads, channels_last${peer?.openblas ? ', OpenBLAS' : ''}) | ${f(
    peer && peer.ms / 1000,
    2,
  )} | ${f(results.torch?.imagesPerSecond, 1)} |`,
  '',
  `tfjs takes **${f(results.ratio, 1)}×** PyTorch's time (${results.date.slice(0, 10)}, ${
    results.machine
  }, load average ${results.loadavg1.toFixed(1)} at the end of the run).`,
].join('\n');
console.log(table);
writeReadmeBenchBlock(join(pkg, 'README.md'), table);
