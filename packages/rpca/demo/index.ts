/**
 * `npm start` demo: face completion with pcp, pcps and pcpsf on synthetic faces (PSNR/SSIM and a PNG grid), then
 * the paper's application, UV texture completion with GAN side information and recognition at a new pose
 * (demo/uv.ts).
 */
import { join } from 'node:path';
import { imageGrid, tensorToRaw, writeImage } from '@facelab/data';
import { tf } from '@facelab/core-tensor';
import { evaluateFaceCompletion } from '@facelab/rpca';
import type { Matrix } from 'ml-matrix';
import { syntheticCompletionFaces } from './faces.js';
import { UV_DEMO_CONFIG, UV_ROWS, runUvExperiment, type UvDemoConfig } from './uv.js';
import type { UvTexture } from '@facelab/rpca';

type DemoRows = { item: string; value: string }[];

/** Demo configuration: 40 faces of 40×40 to complete and 80 clean training faces (data), the completion's options. */
export const DEMO_CONFIG = {
  data: { size: 40, faces: 40, trainFaces: 80, seed: 1 },
  // Lin et al.'s primal-only stop keeps the demo at ~40 iterations a solver; the default dual stop needs ~1000 here
  // for a PSNR within 0.06 dB (README, face completion).
  completion: { missing: 0.1, alpha: 1, features: 20, seed: 1, solver: { tolDual: Infinity } },
} as const;

/** Runs both experiments: face completion (`face-completion.png`) and UV completion (`uv-completion.png`). */
export async function demo({ outDir, uv = UV_DEMO_CONFIG }: { outDir: string; uv?: UvDemoConfig }): Promise<{ title: string; rows: DemoRows; artifacts: string[] }> {
  const faces = await faceDemo(outDir);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const textures = await uvDemo(outDir, uv);
  const cpu = process.cpuUsage(cpu0);
  textures.rows.push({ item: 'UV experiment time', value: `${((performance.now() - t0) / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU` });
  return {
    title: `${faces.title}; then ${textures.title}`,
    rows: [...faces.rows, ...textures.rows],
    artifacts: [...faces.artifacts, ...textures.artifacts],
  };
}

/** The UV texture completion experiment (demo/uv.ts): its table rows and `uv-completion.png`. */
export async function uvDemo(outDir: string, config: UvDemoConfig = UV_DEMO_CONFIG): Promise<{ title: string; rows: DemoRows; artifacts: string[] }> {
  let cpu = process.cpuUsage();
  const r = await runUvExperiment(config, (line) => {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    console.log(`uv: ${line} [${((used.user + used.system) / 1e6).toFixed(1)} s CPU]`);
  });
  const grid = tf.tidy(() => {
    // Nearest-neighbour ×3 so the texels stay visible in the README.
    const tile = (t: UvTexture) =>
      tf.image.resizeNearestNeighbor(tf.tensor3d(Float32Array.from(t.data, (v) => Math.min(1, Math.max(0, v))), [t.size, t.size, t.channels]), [3 * t.size, 3 * t.size]);
    return imageGrid(r.figure.flat().map(tile), { cols: UV_ROWS.length + 1, pad: 2 });
  });
  const raw = tensorToRaw(grid);
  grid.dispose();
  const figure = join(outDir, 'uv-completion.png');
  await writeImage(figure, raw);
  const d = config.data;
  return {
    title: `UV completion of ${d.clips} synthetic clips × ${d.frames} frames (${(100 * r.missingFraction).toFixed(0)} % of texels self-occluded), frontal re-rendering verified on ${r.pairs} pairs`,
    rows: UV_ROWS.map((row) => {
      const s = r.scores[row];
      return {
        item: `UV ${row}`,
        value: `missing texels PSNR ${s.psnr.toFixed(2)} dB  SSIM ${s.ssim.toFixed(3)}  verification ${(100 * s.accuracy).toFixed(1)} ± ${(100 * s.accuracySd).toFixed(1)} %${s.seconds ? `  ${s.iterations.toFixed(0)} it/clip  ${s.seconds.toFixed(1)} s` : ''}`,
      };
    }),
    artifacts: [figure],
  };
}

/** Runs the face completion experiment and writes `face-completion.png` into `outDir`. */
async function faceDemo(outDir: string): Promise<{ title: string; rows: DemoRows; artifacts: string[] }> {
  const { data, completion } = DEMO_CONFIG;
  const ex = evaluateFaceCompletion(syntheticCompletionFaces(data.size, data.faces, data.trainFaces, data.seed), completion);
  const { size } = ex;
  const shown = [0, 1, 2, 3];
  const grid = tf.tidy(() => {
    const tile = (A: Matrix, j: number, offset = 0) =>
      tf.tensor3d(Float32Array.from(A.getColumn(j), (v) => Math.min(1, Math.max(0, v + offset))), [size, size, 1]);
    const tiles: tf.Tensor3D[] = [];
    for (const j of shown) {
      tiles.push(tile(ex.observed, j), tile(ex.mask, j), tile(ex.results.pcp.L, j), tile(ex.results.pcps.L, j));
      tiles.push(tile(ex.results.pcpsf.L, j), tile(ex.results.pcps.S, j, 0.5), tile(ex.truth, j));
    }
    return imageGrid(tiles, { cols: 7, pad: 2 });
  });
  const raw = tensorToRaw(grid);
  grid.dispose();
  const figure = join(outDir, 'face-completion.png');
  await writeImage(figure, raw);
  return {
    title: `face completion, ${ex.truth.columns} synthetic ${size}×${size} faces (occluders + hidden block + 10% missing)`,
    rows: ex.scores.map((s) => ({
      item: s.method,
      value: `PSNR ${s.psnr.toFixed(2)} dB  SSIM ${s.ssim.toFixed(3)}${s.iterations ? `  ${s.iterations} it  ${s.seconds.toFixed(1)} s` : ''}`,
    })),
    artifacts: [figure],
  };
}
