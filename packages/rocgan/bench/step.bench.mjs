/**
 * rocgan suite `step`: one RoCGAN training iteration (discriminator step, then generator step through both
 * pathways, EMA update) at 64×64 with the reference's 5-layer layout, on the active tfjs backend (initBackend()),
 * against the same layers, losses and step in PyTorch (peer torch_rocgan.py: 2 threads, channels_last). Options:
 * `batch` (images per iteration), `warmup` and `reps` (untimed and timed iterations). The tfjs time is the
 * trainer's wall time per iteration, so it also holds what fitRocGan does besides the two steps: corrupting and
 * normalising the batch on the host and the EMA update. PyTorch 1.13's CPU transposed convolutions are slow,
 * which is why the peer is not ahead here.
 */
import { cpus, loadavg } from 'node:os';

const SIZE = 64;

export default {
  name: 'step',
  title: 'RoCGAN training iteration against PyTorch',
  options: { batch: 64, warmup: 1, reps: 2 },
  quick: { batch: 2 },
  async run({ options, runPeer }) {
    const { initBackend } = await import('@facelab/core-tensor');
    const { createRocGan, disposeRocGan, fitRocGan, memorySource } = await import('@facelab/rocgan');
    const { batch, warmup, reps } = options;
    const backend = await initBackend();
    const net = createRocGan({ seed: 0 });
    const targets = Array.from({ length: batch }, (_, i) => Uint8Array.from({ length: SIZE * SIZE * 3 }, (_, k) => (k * 31 + i * 17) % 256));
    const data = memorySource({ targets, imageSize: SIZE });
    console.error(`rocgan bench: one D + G iteration, batch ${batch}, ${SIZE}×${SIZE}, ${backend}: ${warmup} warm-up + ${reps} timed`);
    // One fitRocGan run of warmup + reps iterations; the trainer's per-step wall times (record.time is cumulative).
    const { result } = await fitRocGan({ net, data, steps: warmup + reps, batchSize: batch, progress: false });
    disposeRocGan(net);
    const ends = result.records.map((r) => r.time * 1000);
    const stepMs = ends.map((t, i) => t - (i === 0 ? 0 : ends[i - 1]));
    stepMs.forEach((ms, i) => console.error(`  step ${i + 1}: ${(ms / 1000).toFixed(2)} s${i < warmup ? ' (warm-up)' : ''}`));
    const timed = stepMs.slice(warmup).sort((a, b) => a - b);
    const tfjsMs = timed[Math.floor(timed.length / 2)];
    const peer = runPeer('torch_rocgan.py', [batch, SIZE, 1, Math.max(3, reps)]);
    return {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
      loadavg1: loadavg()[0],
      backend,
      batch,
      size: SIZE,
      tfjs: { ms: tfjsMs, imagesPerSecond: (1000 * batch) / tfjsMs },
      torch: peer && { ...peer, imagesPerSecond: (1000 * batch) / peer.ms },
      ratio: peer ? tfjsMs / peer.ms : undefined,
    };
  },
  report(results) {
    const f = (v, d = 2) => (v === undefined ? '—' : v.toFixed(d));
    const peer = results.torch;
    return [
      `One iteration (D step + G step through both pathways), batch ${results.batch}, ${results.size}×${results.size}, the reference's 5-layer layout.`,
      '',
      '| engine | iteration (s) | images/s |',
      '|---|---:|---:|',
      `| tfjs ${results.backend} | ${f(results.tfjs.ms / 1000)} | ${f(results.tfjs.imagesPerSecond, 1)} |`,
      `| PyTorch ${peer?.torch ?? '—'} (${peer?.threads ?? 2} threads, channels_last${peer?.openblas ? ', OpenBLAS' : ''}) | ${f(peer && peer.ms / 1000)} | ${f(peer?.imagesPerSecond, 1)} |`,
      '',
      `tfjs takes **${f(results.ratio, 1)}×** PyTorch's time (${results.date.slice(0, 10)}, ${results.machine}, load average ${results.loadavg1.toFixed(1)} at the end of the run).`,
    ].join('\n');
  },
};
