/**
 * arcface suite `iresnet-inference`: IR-ResNet-50 inference (embeddings of a batch of 112×112 faces) on every
 * engine in one run — tfjs on wasm, tfjs with onnxruntime kernels (the `onnxruntime` backend), the network
 * exported by core-tensor's exportOnnx run whole in onnxruntime-node (createInferenceSession), PyTorch eager
 * (peer torch_iresnet_inference.py: 2 threads, channels_last, no grad) and the same PyTorch network exported
 * by torch.onnx.export run in onnxruntime-node. The two ONNX engines are timed in alternation (same threads,
 * same load), the others one after the other. Options: `warmup`, `reps`, `batch`, `depth` (50; the quick
 * mode's 18 checks that the suite runs), `threads` (onnxruntime intra-op threads, default 2).
 * The peer writes its ONNX file into a temporary folder, removed at the end.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

export default {
  name: 'iresnet-inference',
  title: 'IR-ResNet-50 inference: tfjs, exported ONNX in onnxruntime, PyTorch eager and PyTorch-exported ONNX',
  options: { warmup: 1, reps: 5, batch: 8, depth: 50, threads: 2 },
  quick: { batch: 2, depth: 18 },
  async run({ options, runPeer, measure }) {
    const stats = (times) => ({ ms: measure.median(times), bestMs: Math.min(...times), reps: times.length });
    const { tf, initBackend, createInferenceSession } = await import('@facelab/core-tensor');
    const { openOnnxSession } = await import('@facelab/runtime');
    const { iresnet } = await import('@facelab/arcface');
    const { warmup, reps, batch, depth, threads } = options;
    const load = [loadavg()[0]];
    const dir = mkdtempSync(join(tmpdir(), 'facelab-iresnet-onnx-'));
    try {
      const ptPath = join(dir, 'torch.onnx');
      console.error(`arcface bench: iresnet${depth} inference, batch ${batch}, 112×112; PyTorch peer first`);
      const peer = runPeer('torch_iresnet_inference.py', [batch, warmup, reps, depth, ptPath]);
      await initBackend('wasm');
      const model = iresnet({ depth, seed: 0 });
      const x = tf.randomUniform([batch, 112, 112, 3], 0, 255, 'float32', 1);
      const values = (make) => {
        const t = tf.tidy(make);
        const data = t.dataSync();
        t.dispose();
        return data;
      };
      const nhwc = x.dataSync();
      const nchw = values(() => tf.transpose(tf.div(tf.sub(x, 127.5), 128), [0, 3, 1, 2]));
      const time = (fn) => {
        const t0 = performance.now();
        fn();
        return performance.now() - t0;
      };

      // The two ONNX graphs in onnxruntime-node, alternating.
      const ours = createInferenceSession(model, { threads });
      const theirs = peer ? openOnnxSession(readFileSync(ptPath), { threads }) : undefined;
      const runOurs = () => ours.runArrays({ image: { data: nhwc, shape: [batch, 112, 112, 3] } });
      const runTheirs = () => theirs.run({ image: { data: nchw, shape: [batch, 3, 112, 112] } }, ['embedding']);
      const onnxTimes = { ours: [], theirs: [] };
      for (let i = 0; i < warmup + reps; i++) {
        const a = time(runOurs);
        const b = theirs ? time(runTheirs) : undefined;
        console.error(`  rep ${i + 1}: exported ONNX ${a.toFixed(0)} ms${b === undefined ? '' : `, PyTorch-exported ONNX ${b.toFixed(0)} ms`}${i < warmup ? ' (warm-up)' : ''}`);
        if (i >= warmup) {
          onnxTimes.ours.push(a);
          if (b !== undefined) onnxTimes.theirs.push(b);
        }
      }
      const reference = values(() => model.predict(x));
      const exported = runOurs()[0].data;
      let num = 0;
      let den = 0;
      for (let i = 0; i < reference.length; i++) {
        num = Math.max(num, Math.abs(exported[i] - reference[i]));
        den = Math.max(den, Math.abs(reference[i]));
      }
      ours.dispose();
      theirs?.dispose();
      load.push(loadavg()[0]);

      // tfjs, on wasm and with onnxruntime kernels.
      const tfjs = {};
      for (const backend of ['onnxruntime', 'wasm']) {
        const active = await initBackend(backend).catch((err) => console.error(`  tfjs ${backend}: ${err.message}`));
        if (active !== backend) continue;
        const times = [];
        for (let i = 0; i < warmup + reps; i++) {
          const ms = time(() => values(() => model.predict(x)));
          console.error(`  rep ${i + 1}: tfjs ${backend} ${ms.toFixed(0)} ms${i < warmup ? ' (warm-up)' : ''}`);
          if (i >= warmup) times.push(ms);
        }
        tfjs[backend] = stats(times);
      }
      load.push(loadavg()[0]);
      x.dispose();
      model.dispose();
      const ips = (s) => s && (1000 * batch) / s.ms;
      const engines = {
        exportedOnnx: stats(onnxTimes.ours),
        torchOnnx: peer ? stats(onnxTimes.theirs) : undefined,
        torchEager: peer ? { ms: peer.ms, bestMs: peer.bestMs, reps } : undefined,
        tfjsOnnxruntime: tfjs.onnxruntime,
        tfjsWasm: tfjs.wasm,
      };
      const ratio = (a, b) => (a && b ? a.ms / b.ms : undefined);
      return {
        ...measure.runInfo(),
        loadavgs: load,
        depth,
        batch,
        threads,
        torch: peer && { version: peer.torch, threads: peer.threads, openblas: peer.openblas },
        exportedMaxRelErr: num / den,
        engines: Object.fromEntries(Object.entries(engines).map(([k, v]) => [k, v && { ...v, imagesPerSecond: ips(v) }])),
        ratios: {
          exportedOverTorchOnnx: ratio(engines.exportedOnnx, engines.torchOnnx),
          exportedOverTorchEager: ratio(engines.exportedOnnx, engines.torchEager),
          wasmOverExported: ratio(engines.tfjsWasm, engines.exportedOnnx),
          tfjsOnnxruntimeOverExported: ratio(engines.tfjsOnnxruntime, engines.exportedOnnx),
        },
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  report(results, measure) {
    const f = measure.fixed;
    const e = results.engines;
    const t = results.torch;
    const row = (label, s) => `| ${label} | ${f(s?.ms, 0)} | ${f(s?.bestMs, 0)} | ${f(s?.imagesPerSecond, 1)} |`;
    const r = results.ratios;
    return [
      `Batch ${results.batch}, 112×112, onnxruntime with ${results.threads} threads; median (best) of the timed runs.`,
      '',
      '| engine | median ms | best ms | images/s |',
      '|---|---:|---:|---:|',
      row('exported ONNX (core-tensor exportOnnx) in onnxruntime-node', e.exportedOnnx),
      row(`PyTorch-exported ONNX (torch ${t?.version ?? '—'}, opset 17) in onnxruntime-node`, e.torchOnnx),
      row(`${measure.peerLabel(t && { torch: t.version, threads: t.threads, openblas: t.openblas })}, eager`, e.torchEager),
      row('tfjs, onnxruntime backend', e.tfjsOnnxruntime),
      row('tfjs, wasm backend', e.tfjsWasm),
      '',
      `Exported / PyTorch-exported ONNX: **${f(r.exportedOverTorchOnnx)}×**; exported / PyTorch eager: **${f(r.exportedOverTorchEager)}×**; ` +
        `tfjs wasm / exported: ${f(r.wasmOverExported, 1)}×. Exported graph vs tfjs: max relative error ${results.exportedMaxRelErr.toExponential(1)}. ` +
        `(${results.date.slice(0, 10)}, ${results.machine}, load average ${results.loadavgs.map((l) => l.toFixed(1)).join(' → ')} over the run.)`,
    ].join('\n');
  },
};
