/**
 * densereg's part of the root `npm start`: train the small DenseReg network on synthetic faces twice at the
 * same budget — quantized regression (the paper's) and direct regression (its ablation) — and report held-out
 * U-V error, foreground IoU and landmark NME (landmarks from U-V with a template estimated from the training
 * ground truth), with a figure: image | predicted U | predicted V | landmarks from U-V. `full: true` runs the
 * longer configuration.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '@facelab/core-tensor';
import { writeImage } from '@facelab/data';
import {
  createDenseRegNet,
  estimateLandmarkTemplate,
  evaluateDenseReg,
  fitDenseReg,
  predictUV,
  type DenseRegEvaluation,
  type DenseRegHead,
  type DenseRegSample,
  type UVMaps,
} from '@facelab/densereg';
import { synthSamples } from './synthetic.js';

/** The demo's configuration (the default fits the 90 s budget on 2 cores; `full` is the longer run). */
export const DENSEREG_DEMO_CONFIG = {
  size: 48,
  trainFaces: 160,
  testFaces: 16,
  synth: { poseJitter: 0.6, clutter: false },
  net: { trunk: 'small', smallWidths: [12, 24, 32, 48] },
  fit: { steps: 120, batchSize: 4, learningRate: 2e-3, seed: 7 },
  full: { trainFaces: 800, steps: 2000 },
} as const;

/** Options of {@link demo}. */
export interface DenseRegDemoOptions {
  outDir: string;
  /** Run the longer configuration (DENSEREG_DEMO_CONFIG.full). */
  full?: boolean;
}

/** Colour of a U or V value: a blue→yellow ramp, black for background. */
function ramp(x: number): [number, number, number] {
  if (x < 0) return [0, 0, 0];
  const t = Math.max(0, Math.min(1, x));
  return [Math.round(255 * t), Math.round(80 + 150 * t), Math.round(255 * (1 - t))];
}

/** One row of the figure: image | U | V | landmarks from U-V (red) and ground truth (green) over the image. */
function figureRow(s: DenseRegSample, pred: UVMaps, landmarks: Float32Array | undefined): Uint8Array {
  const { width: w, height: h } = s;
  const row = new Uint8Array(h * 4 * w * 3);
  const put = (panel: number, x: number, y: number, c: readonly number[]) => row.set(c, (y * 4 * w + panel * w + x) * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const px = [s.image[3 * i]!, s.image[3 * i + 1]!, s.image[3 * i + 2]!];
      put(0, x, y, px);
      put(1, x, y, ramp(pred.u[i]!));
      put(2, x, y, ramp(pred.v[i]!));
      put(3, x, y, px);
    }
  }
  const dot = (pts: Float32Array | undefined, c: readonly number[]) => {
    for (let k = 0; pts && k < 68; k++) {
      const x = Math.round(pts[2 * k]!);
      const y = Math.round(pts[2 * k + 1]!);
      if (x >= 0 && x < w && y >= 0 && y < h) put(3, x, y, c);
    }
  };
  dot(s.landmarks, [0, 255, 0]);
  dot(landmarks, [255, 0, 0]);
  return row;
}

/** Trains one head at the demo budget and evaluates it on the test faces. */
async function run(
  head: DenseRegHead,
  train: DenseRegSample[],
  test: DenseRegSample[],
  template: Float32Array,
  steps: number,
  seed: number
) {
  const c = DENSEREG_DEMO_CONFIG;
  const model = createDenseRegNet({ ...c.net, smallWidths: [...c.net.smallWidths], head, seed });
  const t0 = Date.now();
  await fitDenseReg({ model, samples: train, head, ...c.fit, steps });
  const seconds = (Date.now() - t0) / 1000;
  const evaluation = await evaluateDenseReg(model, test, { head, template });
  return { model, evaluation, seconds };
}

/** Runs the demo, writing its figure to `outDir`. */
export async function demo({ outDir, full = false }: DenseRegDemoOptions) {
  const c = DENSEREG_DEMO_CONFIG;
  const backend = await initBackend();
  await mkdir(outDir, { recursive: true });
  const trainFaces = full ? c.full.trainFaces : c.trainFaces;
  const steps = full ? c.full.steps : c.fit.steps;
  const train = synthSamples(1, trainFaces, { size: c.size, ...c.synth });
  const test = synthSamples(1_000_000, c.testFaces, { size: c.size, ...c.synth });
  const template = estimateLandmarkTemplate(train);
  const results: Record<DenseRegHead, { evaluation: DenseRegEvaluation; seconds: number }> = {} as never;
  const figure: Uint8Array[] = [];
  for (const head of ['quantized', 'direct'] as const) {
    const r = await run(head, train, test, template, steps, c.fit.seed);
    results[head] = r;
    if (head === 'quantized') {
      const preds = predictUV(r.model, test.slice(0, 3), { head });
      test.slice(0, 3).forEach((s, i) => figure.push(figureRow(s, preds[i]!, r.evaluation.images[i]!.landmarks)));
    }
    r.model.dispose();
  }
  const figurePath = join(outDir, 'densereg-uv.png');
  const data = new Uint8Array(figure.reduce((a, f) => a + f.length, 0));
  figure.reduce((at, f) => (data.set(f, at), at + f.length), 0);
  await writeImage(figurePath, { data, width: 4 * c.size, height: 3 * c.size, channels: 3 });
  const q = results.quantized.evaluation;
  const d = results.direct.evaluation;
  const fmt = (x: number) => x.toFixed(4);
  return {
    title: `DenseReg: quantized vs direct U-V regression on synthetic faces (${backend}, ${steps} steps each, ${trainFaces} training / ${c.testFaces} test faces, ${c.size}²)`,
    rows: [
      { item: 'U-V error (mean |û − u|, fg): quantized / direct', value: `${fmt(q.uvError)} / ${fmt(d.uvError)}` },
      { item: 'foreground IoU: quantized / direct', value: `${fmt(q.iou)} / ${fmt(d.iou)}` },
      { item: 'landmark NME (inter-ocular) from U-V: quantized / direct', value: `${fmt(q.nme)} / ${fmt(d.nme)}` },
      {
        item: 'training time: quantized / direct',
        value: `${results.quantized.seconds.toFixed(1)} s / ${results.direct.seconds.toFixed(1)} s`,
      },
    ],
    artifacts: [figurePath],
    numbers: { quantized: { uvError: q.uvError, iou: q.iou, nme: q.nme }, direct: { uvError: d.uvError, iou: d.iou, nme: d.nme } },
  };
}
