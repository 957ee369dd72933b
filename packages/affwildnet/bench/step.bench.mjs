/**
 * affwildnet suite `step`: one training step (forward, CCC loss, backward, Adam update) of the vgg16 AffWildNet
 * (2 clips × 80 frames, 96×96: 35.3 M parameters) and of the small network (2 × 80, 48×48) on the active tfjs
 * backend (initBackend()), against the same networks in PyTorch (peer torch_affwildnet.py: 2 threads,
 * channels_last). Options: `networks`; `warmup` and `reps` (untimed and timed steps; `auto`: 2 and 5 for small,
 * 0 and 1 for vgg16); `chunk` (frames per clip of a vgg16 time chunk).
 *
 * The 32-bit wasm heap cannot hold the vgg16 activations of 160 frames for backprop (block 1 alone keeps
 * 160×96×96×64 floats = 377 MB per tensor), so the tfjs vgg16 step is split in time chunks of `chunk` frames per
 * clip with exact gradients: the CNN's FC features of all frames are computed chunk by chunk without a tape, the
 * GRUs + loss are differentiated on them (giving d loss / d features), then every chunk's CNN is run again with a
 * tape and back-propagated with its slice of that gradient. This costs one extra CNN forward pass (about a third
 * more CNN work) that the PyTorch peer, running the whole batch, does not pay.
 */

const CLIPS = 2;
const FRAMES = 80;
const NETWORKS = { small: { size: 48, warmup: 2, reps: 5, chunked: false }, vgg16: { size: 96, warmup: 0, reps: 1, chunked: true } };

const variables = (m) => m.trainableWeights.map((w) => w.read());

/** Whole-batch step: loss on the full [2, 80, S, S, 3] batch, gradients of every weight, Adam update. */
function wholeStep(tf, affWildLoss, model, optimizer, x, y) {
  const { value, grads } = tf.variableGrads(() => affWildLoss(y, model.apply(x, { training: true })), variables(model));
  optimizer.applyGradients(grads);
  value.dataSync();
  tf.dispose([value, ...Object.values(grads)]);
}

/** The chunked step described in the header: exact gradients with one CNN forward recomputed per chunk. */
function chunkedStep(tf, affWildLoss, chunk, model, optimizer, x, y) {
  const cnn = tf.model({ inputs: model.inputs[0], outputs: model.getLayer('fc').output });
  const after = model.layers.slice(model.layers.findIndex((l) => l.name === 'fc_seq') + 1);
  const chunks = Array.from({ length: Math.ceil(FRAMES / chunk) }, (_, c) => [c * chunk, Math.min(chunk, FRAMES - c * chunk)]);
  const slice = (t, [start, n]) => t.slice([0, start], [CLIPS, n]);
  const featureOf = (xc, n) => cnn.apply(xc, { training: true }).reshape([CLIPS, n, -1]);
  const features = tf.tidy(() => tf.concat(chunks.map((c) => featureOf(slice(x, c), c[1])), 1));
  const fv = tf.variable(features, true, `bench_features_${Date.now()}`);
  features.dispose();
  const headVars = after.flatMap((l) => l.trainableWeights.map((w) => w.read()));
  const head = tf.variableGrads(() => affWildLoss(y, after.reduce((h, l) => l.apply(h), fv)), [...headVars, fv]);
  const dF = head.grads[fv.name];
  const total = Object.fromEntries(Object.entries(head.grads).filter(([k]) => k !== fv.name));
  for (const c of chunks) {
    const g = tf.variableGrads(() => tf.sum(tf.mul(featureOf(slice(x, c), c[1]), slice(dF, c))), variables(cnn));
    for (const [k, v] of Object.entries(g.grads)) {
      const prev = total[k];
      total[k] = prev ? tf.add(prev, v) : v;
      if (prev) tf.dispose([prev, v]);
    }
    g.value.dispose();
  }
  optimizer.applyGradients(total);
  head.value.dataSync();
  tf.dispose([head.value, dF, fv, ...Object.values(total)]);
}

export default {
  name: 'step',
  title: 'AffWildNet training step against PyTorch',
  options: { networks: ['small', 'vgg16'], warmup: 'auto', reps: 'auto', chunk: 8 },
  quick: { networks: ['small'] },
  async run({ options, runPeer, measure }) {
    const { tf, initBackend } = await import('@facelab/core-tensor');
    const { createAffWildNet, affWildLoss } = await import('@facelab/affwildnet');
    const backend = await initBackend();
    const runs = [];
    for (const network of options.networks) {
      const net = NETWORKS[network];
      if (net === undefined) throw new Error(`affwildnet step: unknown network '${network}' (small, vgg16)`);
      const { size, chunked } = net;
      const warmup = options.warmup === 'auto' ? net.warmup : Number(options.warmup);
      const reps = options.reps === 'auto' ? net.reps : Number(options.reps);
      const t0 = performance.now();
      const model = createAffWildNet({ backbone: network, inputSize: size });
      const buildSeconds = (performance.now() - t0) / 1000;
      const optimizer = tf.train.adam(1e-4);
      const x = tf.randomUniform([CLIPS, FRAMES, size, size, 3], -1, 1, 'float32', 1);
      const y = tf.randomUniform([CLIPS, FRAMES, 2], -1, 1, 'float32', 2);
      console.error(
        `affwildnet bench: ${network} (${model.countParams()} parameters, built in ${buildSeconds.toFixed(0)} s), ${CLIPS} × ${FRAMES} frames, ` +
          `${size}×${size}, ${backend}${chunked ? `, chunks of ${options.chunk} frames per clip` : ''}: ${warmup} warm-up + ${reps} timed steps`,
      );
      const step = chunked ? () => chunkedStep(tf, affWildLoss, options.chunk, model, optimizer, x, y) : () => wholeStep(tf, affWildLoss, model, optimizer, x, y);
      const tfjsMs = measure.timeSteps(step, { warmup, reps });
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
      const vgg = network === 'vgg16';
      const peer = runPeer('torch_affwildnet.py', [network, CLIPS, FRAMES, size, vgg ? 1 : 2, vgg ? 2 : 5]);
      runs.push({ network, size, chunked: chunked ? options.chunk : false, tfjs: { ms: tfjsMs }, torch: peer, ratio: peer ? tfjsMs / peer.ms : undefined });
    }
    return { ...measure.runInfo(), backend, clips: CLIPS, frames: FRAMES, runs };
  },
  report(results, { fixed: f, peerLabel, runLine }) {
    const { runs, backend } = results;
    return [
      `| network | tfjs ${backend} step (s) | PyTorch step (s) | tfjs / PyTorch |`,
      '|---|---:|---:|---:|',
      ...runs.map(
        (r) =>
          `| ${r.network} (${results.clips} × ${results.frames} frames, ${r.size}×${r.size}${r.chunked ? `; tfjs in chunks of ${r.chunked} frames/clip` : ''}) | ` +
          `${f(r.tfjs.ms / 1000)} | ${f(r.torch && r.torch.ms / 1000)} | ${f(r.ratio, 1)}× |`,
      ),
      '',
      `${peerLabel(runs[0]?.torch)}; ${runLine(results)}.`,
    ].join('\n');
  },
};
