/**
 * onednn suite `conv`: the addon's three convolution primitives on the conv-step problem of core-tensor's ops
 * suite (16×56×56×64 → 64, 3×3, 'same'), on plain Float32Arrays (no TensorFlow.js), against PyTorch's forward
 * convolution and training step of the same problem (peer torch_ops.py: 2 threads, channels_last, oneDNN).
 * The PyTorch step also multiplies by dy and sums (as core-tensor's does); the addon's three calls are the
 * convolution work of that step. Options: `warmup`, `reps` (best of `reps` after `warmup`), `threads`.
 */
import { availableParallelism } from 'node:os';

const [N, H, W, C] = [16, 56, 56, 64];
const FLOPS = 2 * N * H * W * C * 9 * C;

export default {
  name: 'conv',
  title: 'oneDNN convolution primitives against PyTorch',
  options: { warmup: 3, reps: 15, threads: 0 },
  quick: {},
  async run({ options, runPeer, measure }) {
    const { loadOneDnn, packGeometry } = await import('@facelab/onednn');
    let addon;
    try {
      addon = loadOneDnn();
    } catch (err) {
      console.error(`  ${err.message}`);
      return { ...measure.runInfo(), skipped: err.message };
    }
    const threads = options.threads || availableParallelism();
    addon.setThreads(threads);
    const g = packGeometry({ n: N, h: H, w: W, cin: C, kh: 3, kw: 3, cout: C, oh: H, ow: W, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1 });
    const fill = (n, s) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * s));
    const [x, dy, y, dx] = [fill(N * H * W * C, 0.37), fill(N * H * W * C, 0.11), new Float32Array(N * H * W * C), new Float32Array(N * H * W * C)];
    const [w, dw] = [fill(9 * C * C, 0.53), new Float32Array(9 * C * C)];
    const { warmup, reps } = options;
    const rows = {
      forward: measure.bestMs(() => addon.convForward(g, x, w, null, y, 0, 0), warmup, reps),
      'input gradient': measure.bestMs(() => addon.convBackwardData(g, dy, w, dx), warmup, reps),
      'filter gradient': measure.bestMs(() => addon.convBackwardFilter(g, x, dy, dw), warmup, reps),
    };
    for (const [op, ms] of Object.entries(rows)) console.error(`  oneDNN ${op}: ${ms.toFixed(1)} ms`);
    const peer = runPeer('torch_ops.py', []);
    return {
      ...measure.runInfo(),
      oneDnn: addon.info().version,
      threads,
      rows,
      peer: peer && { config: peer.config, forward: peer.ops['conv2d forward 16×56×56×64→64 3×3'], step: peer.ops['conv2d training step 16×56×56×64→64 3×3'] },
    };
  },
  report(results, { fixed, runLine }) {
    if (results.skipped) return `${runLine(results)}: not run (${results.skipped}).`;
    const { rows, peer } = results;
    const three = rows.forward + rows['input gradient'] + rows['filter gradient'];
    return [
      `${runLine(results)}. oneDNN ${results.oneDnn}, ${results.threads} threads; best of N after warm-up on both sides.`,
      `Peer: ${peer?.config ?? 'not run'}.`,
      '',
      '| 16×56×56×64 → 64, 3×3 | addon (ms) | GFLOP/s | PyTorch (ms) | × PyTorch time |',
      '|---|---:|---:|---:|---:|',
      `| forward | ${fixed(rows.forward, 1)} | ${fixed(FLOPS / rows.forward / 1e6, 0)} | ${fixed(peer?.forward, 1)} | ${fixed(peer && rows.forward / peer.forward)} |`,
      `| input gradient | ${fixed(rows['input gradient'], 1)} | ${fixed(FLOPS / rows['input gradient'] / 1e6, 0)} | — | — |`,
      `| filter gradient | ${fixed(rows['filter gradient'], 1)} | ${fixed(FLOPS / rows['filter gradient'] / 1e6, 0)} | — | — |`,
      `| the three (PyTorch: its whole training step) | ${fixed(three, 1)} | ${fixed((3 * FLOPS) / three / 1e6, 0)} | ${fixed(peer?.step, 1)} | ${fixed(peer && three / peer.step)} |`,
    ].join('\n');
  },
};
