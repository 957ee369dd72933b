/**
 * arcface suite `iresnet50`: IR-ResNet-50 forward + backward (normalised 1000-class head, ArcFace loss), batch 32,
 * 112×112, on the tfjs backend `backend` (default: the first that loads, initBackend()), against the same network in PyTorch (peer
 * torch_iresnet.py: 2 threads, channels_last). Options: `warmup` and `reps` (untimed and timed steps), `batch`, `micro`,
 * `depth` (50; the quick mode's 18 checks the suite runs).
 * The wasm heap (32-bit) cannot hold a batch of 32 at 112×112 for backprop ("memory access out of bounds"; 8
 * aborts too), so tfjs runs the batch as micro-batches of `micro` images whose gradients are summed: the same
 * images per step, the same work.
 */
export default {
  name: 'iresnet50',
  title: 'IR-ResNet-50 + ArcFace training step against PyTorch',
  options: { backend: '', warmup: 1, reps: 2, batch: 32, micro: 4, depth: 50 },
  quick: { batch: 2, micro: 2, depth: 18 },
  async run({ options, runPeer, measure }) {
    const { tf, initBackend } = await import('@facelab/core-tensor');
    const { iresnet, ArcMarginHead, marginSoftmaxLoss } = await import('@facelab/arcface');
    const { warmup, reps, batch: BATCH, micro: MICRO, depth } = options;
    const backend = await initBackend(options.backend === '' ? undefined : options.backend);
    const backbone = iresnet({ depth, seed: 0 });
    const head = new ArcMarginHead({ numClasses: 1000, seed: 0 });
    const net = tf.model({ inputs: backbone.inputs, outputs: head.apply(backbone.outputs[0]) });
    const micro = Array.from({ length: BATCH / MICRO }, (_, m) => ({
      x: tf.randomUniform([MICRO, 112, 112, 3], 0, 255, 'float32', m + 1),
      labels: Array.from({ length: MICRO }, (_, i) => ((m * MICRO + i) * 37) % 1000),
    }));
    const step = () => {
      let total;
      for (const { x, labels } of micro) {
        const { value, grads } = tf.variableGrads(() => marginSoftmaxLoss(net.apply(x, { training: true }), labels));
        value.dataSync();
        const next = total === undefined ? grads : Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.add(total[k], g)]));
        if (total !== undefined) tf.dispose([...Object.values(total), ...Object.values(grads)]);
        total = next;
        value.dispose();
      }
      tf.dispose(Object.values(total));
    };
    console.error(`arcface bench: iresnet${depth} fwd+bwd, batch ${BATCH} (micro-batches of ${MICRO}), 112×112, ${backend}: ${warmup} warm-up + ${reps} timed steps`);
    const tfjsMs = measure.timeSteps(step, { warmup, reps });
    tf.dispose(micro.map((m) => m.x));
    net.dispose();
    const peer = runPeer('torch_iresnet.py', [BATCH, Math.min(1, warmup), Math.max(3, reps), depth]);
    return {
      ...measure.runInfo(),
      backend,
      depth,
      batch: BATCH,
      microBatch: MICRO,
      ...measure.versusPeer(tfjsMs, peer, BATCH),
    };
  },
  report(results, { versusPeerTable }) {
    return versusPeerTable(results, { tfjsNote: ` (micro-batches of ${results.microBatch})`, secondsDigits: 1, rateDigits: 2 }).join('\n');
  },
};
