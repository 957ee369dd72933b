/**
 * deblur suite `step`: one two-stream training step at 128×128, batch 16 — the deblurring U-Net (levels 32, 64, 128)
 * with L1 + 0.1 · (1 − cos) through the frozen small IR-ResNet identity stream, Adam — on the active tfjs backend
 * (initBackend()), against the same network, loss and step in PyTorch (peer torch_deblur.py: 2 threads,
 * channels_last). Options: `batch`, `size`, `warmup` and `reps`. The tfjs time is the trainer's wall time per step, so
 * it also holds what fitDeblur does besides the step: drawing and flipping the batch on the host.
 */
export default {
  name: 'step',
  title: 'two-stream deblurring training step against PyTorch',
  options: { batch: 16, size: 128, warmup: 1, reps: 3 },
  quick: { batch: 2, size: 32 },
  async run({ options, runPeer, measure }) {
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
    const tfjsMs = measure.trainerStepMedian(result.records, warmup);
    const peer = runPeer('torch_deblur.py', [batch, size, 1, Math.max(3, reps)]);
    return {
      ...measure.runInfo(),
      backend,
      batch,
      size,
      ...measure.versusPeer(tfjsMs, peer, batch),
    };
  },
  report(results, { versusPeerTable }) {
    return [
      `One two-stream training step (U-Net 32-64-128 + frozen small IR-ResNet identity term), batch ${results.batch}, ${results.size}×${results.size}.`,
      '',
      ...versusPeerTable(results),
    ].join('\n');
  },
};
