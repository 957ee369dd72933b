/**
 * densereg suite `step`: one training step (forward, quantized-regression loss, backward, Adam update) of
 * DenseReg with the ResNet-50 trunk (output stride 8, dilated res4/res5) at 256×256 on the active tfjs backend
 * (initBackend()), against the same network and loss in PyTorch in the same run (peer torch_densereg.py:
 * 2 threads, channels_last). Options: `size`, `batch`, `warmup`, `reps`. Batch 2 by default: at batch 4 the
 * activations kept for backprop (res4/res5 at 32×32 with 1024/2048 channels) overflow the wasm heap that the
 * wasm and onnxruntime backends share, and tfjs-backend-wasm aborts.
 */

/** U and V targets: a centred ellipse of foreground with smooth U-V, −1 outside (the same in the peer). */
function targets(tf, batch, size) {
  return tf.tidy(() => {
    const r = tf.linspace(0, 1, size);
    const u = tf.tile(tf.reshape(r, [1, 1, size]), [batch, size, 1]);
    const v = tf.tile(tf.reshape(r, [1, size, 1]), [batch, 1, size]);
    const inside = tf.lessEqual(tf.add(tf.square(tf.sub(u, 0.5)), tf.square(tf.sub(v, 0.5))), 0.16);
    const bg = tf.fill([batch, size, size], -1);
    return { u: tf.where(inside, u, bg), v: tf.where(inside, v, bg) };
  });
}

export default {
  name: 'step',
  title: 'DenseReg (ResNet-50 trunk) training step against PyTorch',
  options: { size: 256, batch: 2, warmup: 1, reps: 3 },
  quick: { size: 64, batch: 1 },
  async run({ options, runPeer, measure }) {
    const { tf, initBackend } = await import('@facelab/core-tensor');
    const { createDenseRegNet, denseRegLoss } = await import('@facelab/densereg');
    const backend = await initBackend();
    const size = Number(options.size);
    const batch = Number(options.batch);
    const warmup = Number(options.warmup);
    const reps = Number(options.reps);
    const model = createDenseRegNet({ trunk: 'resnet50', seed: 1 });
    const optimizer = tf.train.adam(1e-4);
    const x = tf.randomUniform([batch, size, size, 3], -120, 120, 'float32', 1);
    const t = targets(tf, batch, size);
    const vars = model.trainableWeights.map((w) => w.read());
    console.error(`densereg bench: resnet50 trunk (${model.countParams()} parameters), batch ${batch}, ${size}×${size}, ${backend}: ${warmup} warm-up + ${reps} timed steps`);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => denseRegLoss(model.apply(x, { training: true }), t).loss, vars);
      optimizer.applyGradients(grads);
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    };
    const tfjsMs = measure.timeSteps(step, { warmup, reps });
    tf.dispose([x, t.u, t.v]);
    optimizer.dispose();
    model.dispose();
    const peer = runPeer('torch_densereg.py', [batch, size, warmup, reps]);
    return {
      ...measure.runInfo(),
      backend,
      size,
      batch,
      tfjs: { ms: tfjsMs },
      torch: peer,
      ratio: peer ? tfjsMs / peer.ms : undefined,
    };
  },
  report(r, { fixed: f, peerLabel, runLine }) {
    return [
      `| network | tfjs ${r.backend} step (s) | PyTorch step (s) | tfjs / PyTorch |`,
      '|---|---:|---:|---:|',
      `| DenseReg ResNet-50 trunk, OS 8 (batch ${r.batch}, ${r.size}×${r.size}) | ${f(r.tfjs.ms / 1000)} | ${f(r.torch && r.torch.ms / 1000)} | ${f(r.ratio, 1)}× |`,
      '',
      `${peerLabel(r.torch)}; ${runLine(r)}.`,
    ].join('\n');
  },
};
