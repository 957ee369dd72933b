/**
 * augment suite `fit`: one training step of the transformation (E and D on both frames of a batch of
 * consecutive pairs, the three-term loss, backward, Adam) and generation throughput (augment(): E, A^k for
 * k = −2…2, D) on the active tfjs backend, against the same network in PyTorch in the same run (peer
 * torch_augment.py: 2 threads, channels_last). Options: `size` (image side), `batch` (pairs per step),
 * `latent`, `filters`, `warmup` and `reps` (untimed and timed steps), `generate` (images per generate call).
 */

export default {
  name: 'fit',
  title: 'Transformation training step and generation throughput against PyTorch',
  options: { size: 64, batch: 16, latent: 32, filters: [16, 32, 32], warmup: 2, reps: 10, generate: 32 },
  quick: { size: 16, batch: 2, generate: 2 },
  async run({ options, runPeer, measure }) {
    const { tf, initBackend } = await import('@facelab/core-tensor');
    const { createAugmentAutoencoder, augmentLoss, augment } = await import('@facelab/augment');
    const backend = await initBackend();
    const size = Number(options.size);
    const batch = Number(options.batch);
    const latent = Number(options.latent);
    const filters = options.filters.map(Number);
    const warmup = Number(options.warmup);
    const reps = Number(options.reps);
    const net = createAugmentAutoencoder({ imageShape: [size, size, 3], latentDim: latent, filters, seed: 1 });
    const params = [net.encoder, net.decoder, net.dynamics.model].reduce((a, m) => a + m.countParams(), 0);
    const optimizer = tf.train.adam(1e-3);
    const x0 = tf.randomUniform([batch, size, size, 3], 0, 1, 'float32', 1);
    const x1 = tf.randomUniform([batch, size, size, 3], 0, 1, 'float32', 2);
    const vars = [net.encoder, net.decoder, net.dynamics.model].flatMap((m) => m.trainableWeights.map((w) => w.read()));
    const step = () => {
      const { value, grads } = tf.variableGrads(() => augmentLoss(net, x0, x1).loss, vars);
      optimizer.applyGradients(grads);
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    };
    console.error(`augment bench: ${size}×${size}, ${batch} pairs, latent ${latent}, filters ${filters.join(',')} (${params} parameters), ${backend}`);
    const stepMs = measure.timeSteps(step, { warmup, reps });
    const n = Number(options.generate);
    const images = tf.randomUniform([n, size, size, 3], 0, 1, 'float32', 3);
    const genMs = measure.timeSteps(() => {
      const out = augment(net, images, { steps: 2 });
      out.images.dataSync();
      out.images.dispose();
    }, { warmup, reps });
    tf.dispose([x0, x1, images]);
    optimizer.dispose();
    net.dispose();
    const peer = runPeer('torch_augment.py', [size, batch, latent, filters.join(','), warmup, reps, n]);
    return {
      ...measure.runInfo(),
      backend,
      size,
      batch,
      latent,
      filters,
      params,
      tfjs: { stepMs, generateMs: genMs, imagesPerSecond: (n * 5 * 1000) / genMs },
      torch: peer,
      generate: n,
    };
  },
  report(r, { fixed, peerLabel, runLine }) {
    const f = (v, d = 1) => fixed(v, d);
    const ratio = (a, b) => (a && b ? `${(a / b).toFixed(1)}×` : '—');
    return [
      `${r.size}×${r.size}×3, latent ${r.latent}, filters ${r.filters.join(', ')} (${r.params} parameters).`,
      '',
      `| work | tfjs ${r.backend} | PyTorch | tfjs / PyTorch |`,
      '|---|---:|---:|---:|',
      `| training step, ${r.batch} pairs (ms) | ${f(r.tfjs.stepMs)} | ${f(r.torch?.stepMs)} | ${ratio(r.tfjs.stepMs, r.torch?.stepMs)} |`,
      `| generate k = −2…2 for ${r.generate} images (ms) | ${f(r.tfjs.generateMs)} | ${f(r.torch?.generateMs)} | ${ratio(r.tfjs.generateMs, r.torch?.generateMs)} |`,
      `| generated images per second | ${f(r.tfjs.imagesPerSecond, 0)} | ${f(r.torch && (r.generate * 5 * 1000) / r.torch.generateMs, 0)} | |`,
      '',
      `${peerLabel(r.torch)}; ${runLine(r)}.`,
    ].join('\n');
  },
};
