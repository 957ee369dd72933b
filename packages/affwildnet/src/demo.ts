/**
 * affwildnet's part of the root `npm start`: train the small AffWildNet on synthetic face clips with smooth
 * valence/arousal trajectories, as in the paper in two stages (frame CNN, then the whole CNN-RNN), and report
 * held-out CCC with a figure of predicted vs true trajectories.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend, savePlot } from '@facelab/core-tensor';
import { createAffWildNet } from './model/affwildnet.js';
import { createFrameHead } from './model/frame-head.js';
import { synthClipSet } from './data/synthetic.js';
import { clipLabels, fitAffect, predictClips } from './train/fit.js';
import { evaluateAffect } from './eval/affect.js';

const SIZE = 48;
const LENGTH = 8;
const TRAIN_CLIPS = 192;
const TEST_CLIPS = 24;
const FRAME_STEPS = Number(process.env.AFFWILD_DEMO_FRAME_STEPS ?? 200);
const SEQUENCE_STEPS = Number(process.env.AFFWILD_DEMO_SEQUENCE_STEPS ?? 40);
const CLIPS = { length: LENGTH, size: SIZE, motion: 0.5, clutter: false };

/** Runs the demo, writing its figure to `outDir`. */
export async function demo({ outDir }: { outDir: string }) {
  const backend = await initBackend();
  await mkdir(outDir, { recursive: true });
  const t0 = Date.now();
  const train = synthClipSet(Array.from({ length: TRAIN_CLIPS }, (_, i) => 1 + i), CLIPS);
  const test = synthClipSet(Array.from({ length: TEST_CLIPS }, (_, i) => 1_000_000 + i), CLIPS);
  const model = createAffWildNet({ backbone: 'small', inputSize: SIZE });
  const frames = createFrameHead(model);
  await fitAffect(frames, train, { steps: FRAME_STEPS, batchSize: 8, learningRate: 1e-3, objective: 'frames', seed: 3 });
  await fitAffect(model, train, { steps: SEQUENCE_STEPS, batchSize: 8, learningRate: 5e-4, seed: 4, curves: join(outDir, 'training-curves.png') });
  const seconds = (Date.now() - t0) / 1000;

  const gold = clipLabels(test);
  const pred = predictClips(model, test);
  const m = evaluateAffect(gold, pred);
  const figure = join(outDir, 'trajectories.png');
  const shown = [0, 1, 2];
  const series = shown.flatMap((c) =>
    (['valence', 'arousal'] as const).flatMap((dim, k) => {
      const x = gold[c]!.map((_, t) => c * (LENGTH + 2) + t);
      return [
        { name: `${dim} true`, x, y: gold[c]!.map((f) => f[k]!) },
        { name: `${dim} predicted`, x, y: pred[c]!.map((f) => f[k]!) },
      ];
    }),
  );
  await savePlot(figure, series, { title: 'held-out clips: predicted vs true', xLabel: 'frame (3 clips)', yLabel: 'value' });
  frames.dispose();
  model.dispose();
  const f = (x: number) => x.toFixed(3);
  return {
    title: 'AffWildNet (small) on synthetic face clips',
    rows: [
      { item: 'backend', value: backend },
      { item: 'CCC valence (held-out, pooled / per clip)', value: `${f(m.valence.cccPooled)} / ${f(m.valence.cccPerVideo)}` },
      { item: 'CCC arousal (held-out, pooled / per clip)', value: `${f(m.arousal.cccPooled)} / ${f(m.arousal.cccPerVideo)}` },
      { item: 'training clips × frames, steps', value: `${TRAIN_CLIPS} × ${LENGTH}, ${FRAME_STEPS} frame + ${SEQUENCE_STEPS} sequence` },
      { item: 'time (render + train)', value: `${seconds.toFixed(0)} s` },
    ],
    artifacts: [figure, join(outDir, 'training-curves.png')],
  };
}
