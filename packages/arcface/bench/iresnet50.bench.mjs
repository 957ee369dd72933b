/**
 * arcface suite `iresnet50`: IR-ResNet-50 forward + backward (normalised 1000-class head, ArcFace loss), batch 32,
 * 112×112, on the active tfjs backend (initBackend()), against the same network in PyTorch (peer
 * torch_iresnet.py: 2 threads, channels_last). Options: `warmup` and `reps` (untimed and timed steps), `batch`, `micro`,
 * `depth` (50; the quick mode's 18 checks the suite runs).
 * The wasm heap (32-bit) cannot hold a batch of 32 at 112×112 for backprop ("memory access out of bounds"; 8
 * aborts too), so tfjs runs the batch as micro-batches of `micro` images whose gradients are summed: the same
 * images per step, the same work.
 */
import { cpus, loadavg } from 'node:os';

export default {
  name: 'iresnet50',
  title: 'IR-ResNet-50 + ArcFace training step against PyTorch',
  options: { warmup: 1, reps: 2, batch: 32, micro: 4, depth: 50 },
  quick: { batch: 2, micro: 2, depth: 18 },
  async run({ options, runPeer }) {
    const { tf, initBackend } = await import('@facelab/core-tensor');
    const { iresnet, ArcMarginHead, marginSoftmaxLoss } = await import('@facelab/arcface');
    const { warmup, reps, batch: BATCH, micro: MICRO, depth } = options;
    const backend = await initBackend();
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
    const times = [];
    for (let i = 0; i < warmup + reps; i++) {
      const t0 = performance.now();
      step();
      const ms = performance.now() - t0;
      console.error(`  step ${i + 1}: ${(ms / 1000).toFixed(1)} s${i < warmup ? ' (warm-up)' : ''}`);
      if (i >= warmup) times.push(ms);
    }
    times.sort((a, b) => a - b);
    tf.dispose(micro.map((m) => m.x));
    net.dispose();
    const tfjsMs = times[Math.floor(times.length / 2)];
    const peer = runPeer('torch_iresnet.py', [BATCH, Math.min(1, warmup), Math.max(3, reps), depth]);
    return {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
      loadavg1: loadavg()[0],
      backend,
      depth,
      batch: BATCH,
      microBatch: MICRO,
      tfjs: { ms: tfjsMs, imagesPerSecond: (1000 * BATCH) / tfjsMs },
      torch: peer && { ...peer, imagesPerSecond: (1000 * BATCH) / peer.ms },
      ratio: peer ? tfjsMs / peer.ms : undefined,
    };
  },
  report(results) {
    const f = (v, d = 2) => (v === undefined ? '—' : v.toFixed(d));
    const peer = results.torch;
    return [
      '| engine | step (s) | images/s |',
      '|---|---:|---:|',
      `| tfjs ${results.backend} (micro-batches of ${results.microBatch}) | ${f(results.tfjs.ms / 1000, 1)} | ${f(results.tfjs.imagesPerSecond)} |`,
      `| PyTorch ${peer?.torch ?? '—'} (${peer?.threads ?? 2} threads, channels_last${peer?.openblas ? ', OpenBLAS' : ''}) | ${f(peer && peer.ms / 1000, 1)} | ${f(peer?.imagesPerSecond)} |`,
      '',
      `tfjs takes **${f(results.ratio, 1)}×** PyTorch's time (${results.date.slice(0, 10)}, ${results.machine}, load average ${results.loadavg1.toFixed(1)} at the end of the run).`,
    ].join('\n');
  },
};
