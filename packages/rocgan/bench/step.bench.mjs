/**
 * rocgan suite `step`: one RoCGAN training iteration (discriminator step, then generator step through both
 * pathways, EMA update) at 64×64 with the reference's 5-layer layout, on the active tfjs backend (initBackend()),
 * against the same layers, losses and step in PyTorch (peer torch_rocgan.py: 2 threads, channels_last). Options:
 * `batch` (images per iteration), `warmup` and `reps` (untimed and timed iterations). The tfjs time is the
 * trainer's wall time per iteration, so it also holds what fitRocGan does besides the two steps: corrupting and
 * normalising the batch on the host and the EMA update. PyTorch 1.13's CPU transposed convolutions are slow,
 * which is why the peer is not ahead here.
 */
const SIZE = 64;

export default {
  name: 'step',
  title: 'RoCGAN training iteration against PyTorch',
  options: { batch: 64, warmup: 1, reps: 2 },
  quick: { batch: 2 },
  async run({ options, runPeer, measure }) {
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
    const tfjsMs = measure.trainerStepMedian(result.records, warmup);
    const peer = runPeer('torch_rocgan.py', [batch, SIZE, 1, Math.max(3, reps)]);
    return {
      ...measure.runInfo(),
      backend,
      batch,
      size: SIZE,
      ...measure.versusPeer(tfjsMs, peer, batch),
    };
  },
  report(results, { versusPeerTable }) {
    return [
      `One iteration (D step + G step through both pathways), batch ${results.batch}, ${results.size}×${results.size}, the reference's 5-layer layout.`,
      '',
      ...versusPeerTable(results, { step: 'iteration' }),
    ].join('\n');
  },
};
