/**
 * deblur suite `step`: one two-stream training step at 128×128, batch 16 — the deblurring U-Net (levels 32, 64, 128)
 * with L1 + 0.1 · (1 − cos) through the frozen small IR-ResNet identity stream, Adam — on the active tfjs backend
 * (initBackend()), against the same network, loss and step in PyTorch (peer torch_deblur.py: 2 threads,
 * channels_last). Options: `batch`, `size`, `warmup` and `reps`. The tfjs time is the trainer's wall time per step, so
 * it also holds what fitDeblur does besides the step: drawing and flipping the batch on the host.
 */
import { cpus, loadavg } from 'node:os';

export default {
  name: 'step',
  title: 'two-stream deblurring training step against PyTorch',
  options: { batch: 16, size: 128, warmup: 1, reps: 3 },
  async run({ options, runPeer }) {
    const { initBackend } = await import('@facelab/core-tensor');
    const { createDeblurNet, createIdentityNet, fitDeblur } = await import('@facelab/deblur');
    const { batch, size, warmup, reps } = options;
    const backend = await initBackend();
    const net = createDeblurNet({ imageSize: size, filters: [32, 64, 128], seed: 0 });
    const identity = createIdentityNet({ imageSize: size, seed: 1 });
    const len = size * size * 3;
    const image = (k) => Float32Array.from({ length: len }, (_, i) => ((i * 31 + k * 17) % 256) / 255);
    const data = { blurred: [], sharp: [], size, channels: 3, names: [] };
    for (let k = 0; k < batch; k++) {
      data.blurred.push(image(k));
      data.sharp.push(image(k + 1000));
      data.names.push(String(k));
    }
    console.error(`deblur bench: one two-stream step, batch ${batch}, ${size}×${size}, ${backend}: ${warmup} warm-up + ${reps} timed`);
    const result = await fitDeblur({ net, data, identity, loss: { identity: 0.1 }, steps: warmup + reps, batchSize: batch, progress: false });
    net.model.dispose();
    identity.dispose();
    const ends = result.records.map((r) => r.time * 1000);
    const stepMs = ends.map((t, i) => t - (i === 0 ? 0 : ends[i - 1]));
    stepMs.forEach((ms, i) => console.error(`  step ${i + 1}: ${(ms / 1000).toFixed(2)} s${i < warmup ? ' (warm-up)' : ''}`));
    const timed = stepMs.slice(warmup).sort((a, b) => a - b);
    const tfjsMs = timed[Math.floor(timed.length / 2)];
    const peer = runPeer('torch_deblur.py', [batch, size, 1, Math.max(3, reps)]);
    return {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
      loadavg1: loadavg()[0],
      backend,
      batch,
      size,
      tfjs: { ms: tfjsMs, imagesPerSecond: (1000 * batch) / tfjsMs },
      torch: peer && { ...peer, imagesPerSecond: (1000 * batch) / peer.ms },
      ratio: peer ? tfjsMs / peer.ms : undefined,
    };
  },
  report(results) {
    const f = (v, d = 2) => (v === undefined ? '—' : v.toFixed(d));
    const peer = results.torch;
    return [
      `One two-stream training step (U-Net 32-64-128 + frozen small IR-ResNet identity term), batch ${results.batch}, ${results.size}×${results.size}.`,
      '',
      '| engine | step (s) | images/s |',
      '|---|---:|---:|',
      `| tfjs ${results.backend} | ${f(results.tfjs.ms / 1000)} | ${f(results.tfjs.imagesPerSecond, 1)} |`,
      `| PyTorch ${peer?.torch ?? '—'} (${peer?.threads ?? 2} threads, channels_last${peer?.openblas ? ', OpenBLAS' : ''}) | ${f(peer && peer.ms / 1000)} | ${f(peer?.imagesPerSecond, 1)} |`,
      '',
      `tfjs takes **${f(results.ratio, 1)}×** PyTorch's time (${results.date.slice(0, 10)}, ${results.machine}, load average ${results.loadavg1.toFixed(1)} at the end of the run).`,
    ].join('\n');
  },
};
