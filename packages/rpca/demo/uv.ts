/**
 * The paper's application (Xue et al. 2018, §5) end to end on synthetic clips: frames sampled into UV space
 * (self-occluded texels missing, occluders as sparse errors); a RoCGAN trained to complete UV maps gives side
 * information N per frame and, by PCA of its completions, the texture subspace X; pcp, pcps and pcpsf (X only,
 * Y = I implicitly) complete each clip; the completed textures are re-rendered frontally and verified with a
 * small ArcFace model against held-out real frontal frames.
 */
import { initBackend, tf } from '@facelab/core-tensor';
import { IRESNET_SMALL, embed, iresnet, tensorFaceSource, trainArcFace, verifyEmbeddings } from '@facelab/arcface';
import { createRocGan, disposeRocGan, fitRocGan, memorySource, predictRocGan, toModelRange, type CreateRocGanOptions } from '@facelab/rocgan';
import { Rng } from '@facelab/runtime';
import { columnTexture, completeUv, renderUv, scoreUvCompletion, uvMatrix, uvSubspace, uvSupport, type UvSupport, type UvTexture } from '@facelab/rpca';
import { ganPairs, recognitionFaces, uvClip, type UvClip, type UvDataConfig } from './uv-clips.js';

/** The UV experiment's configuration. */
export interface UvDemoConfig {
  data: UvDataConfig;
  /** GAN training faces, iterations, batch and learning rate; its architecture. */
  gan: { faces: number; steps: number; batchSize: number; lr: number; model: CreateRocGanOptions };
  /** Principal directions of the GAN's completions in X (besides their mean). */
  subspaceRank: number;
  /** Solver options shared by pcp, pcps, pcpsf. */
  solver: { alpha: number; tol: number; tolDual: number; maxIter: number; svd: 'auto' | 'partial' | 'full' };
  /** The recognition model: training identities × images, steps, batch, learning rate, IR-ResNet widths. */
  recognition: { identities: number; perIdentity: number; steps: number; batchSize: number; lr: number; widths: number[] };
}

/** The quick configuration of `npm start`. */
export const UV_DEMO_CONFIG: UvDemoConfig = {
  data: { uvSize: 32, frameSize: 64, truthSize: 96, viewSize: 32, frames: 24, heldOut: 4, clips: 10, motion: 2.5, occlusion: 0.3, threshold: 0.45, seed: 1 },
  gan: { faces: 256, steps: 200, batchSize: 8, lr: 1e-3, model: { imageSize: 32, channels: [8, 16, 32, 64], discriminatorChannels: [8, 16, 16] } },
  subspaceRank: 40,
  solver: { alpha: 1, tol: 1e-5, tolDual: Infinity, maxIter: 500, svd: 'partial' },
  recognition: { identities: 60, perIdentity: 8, steps: 80, batchSize: 24, lr: 0.1, widths: [8, 16, 32, 64, 96] },
};

/** The rows compared: the incomplete input, the GAN alone, and the three solvers. */
export const UV_ROWS = ['input', 'N (RoCGAN)', 'pcp', 'pcps', 'pcpsf'] as const;
/** One of {@link UV_ROWS}. */
export type UvRow = (typeof UV_ROWS)[number];

/** What the UV experiment measured. */
export interface UvDemoResult {
  /** Mean over clips and frames of the missing-texel PSNR / SSIM, the verification accuracy (± sd over folds), solver time and iterations per clip. */
  scores: Record<UvRow, { psnr: number; ssim: number; accuracy: number; accuracySd: number; seconds: number; iterations: number }>;
  /** Verification pairs (half same identity). */
  pairs: number;
  /** Fraction of support texels missing per frame, averaged. */
  missingFraction: number;
  /** Figure tiles of the two most incomplete frames (of two clips): per frame, a texture per row of {@link UV_ROWS} and the truth. */
  figure: UvTexture[][];
  ganSeconds: number;
  recognitionSeconds: number;
}

const to8bit = (t: UvTexture) => Uint8Array.from(t.data, (v) => Math.round(255 * Math.min(1, Math.max(0, v))));

/** GAN completions of textures (missing texels 0), as complete textures over the whole grid. */
function ganComplete(net: ReturnType<typeof createRocGan>, textures: UvTexture[]): UvTexture[] {
  const { size } = textures[0]!;
  const x = new Float32Array(textures.length * size * size * 3);
  textures.forEach((t, i) => x.set(to8bit(t), i * size * size * 3));
  toModelRange(x);
  const input = tf.tensor4d(x, [textures.length, size, size, 3]);
  const y = predictRocGan(net, input, { ema: false });
  const values = y.dataSync();
  tf.dispose([input, y]);
  const n = size * size * 3;
  return textures.map((_, i) => ({
    size,
    channels: 3,
    data: Float64Array.from(values.subarray(i * n, (i + 1) * n), (v) => Math.min(1, Math.max(0, ((v + 1) * 128) / 255))),
    mask: new Uint8Array(size * size).fill(1),
  }));
}

/** Texels present in every truth texture of the clip: the rows of its matrix. */
function clipSupport(clip: UvClip): UvSupport {
  const mask = clip.truth[0]!.mask.slice();
  for (const t of clip.truth) for (let i = 0; i < mask.length; i++) mask[i] &&= t.mask[i]!;
  return uvSupport(clip.observed, mask);
}

/** A texture restricted to the support (mask ∧ support, data 0 elsewhere). */
function restrict(t: UvTexture, support: UvSupport): UvTexture {
  const mask = Uint8Array.from(t.mask, (v, i) => v & support.mask[i]!);
  return { ...t, data: t.data.map((v, j) => (mask[Math.floor(j / t.channels)] ? v : 0)), mask };
}

/** Runs the experiment; `onStage` reports progress lines. */
export async function runUvExperiment(c: UvDemoConfig, onStage: (line: string) => void = () => {}): Promise<UvDemoResult> {
  await initBackend('wasm');
  const d = c.data;
  const clips = Array.from({ length: d.clips }, (_, k) => uvClip(k, d));
  onStage(`${d.clips} clips of ${d.frames} frames rendered and sampled into ${d.uvSize}×${d.uvSize} UV maps`);

  // Side information: a RoCGAN trained on (incomplete → complete) textures of training identities.
  const pairs = ganPairs(c.gan.faces, d);
  const net = createRocGan({ ...c.gan.model, variant: 'rocgan', seed: 1 });
  const g0 = performance.now();
  await fitRocGan({
    net,
    data: memorySource({ targets: pairs.targets.map(to8bit), inputs: pairs.inputs.map(to8bit), imageSize: d.uvSize }),
    steps: c.gan.steps,
    batchSize: c.gan.batchSize,
    lr: c.gan.lr,
    seed: 1,
    progress: false,
  });
  const ganSeconds = (performance.now() - g0) / 1000;
  const trainCompletions = ganComplete(net, pairs.inputs);
  const priors = clips.map((clip) => ganComplete(net, clip.observed));
  disposeRocGan(net);
  onStage(`RoCGAN trained on ${c.gan.faces} UV maps for ${c.gan.steps} iterations (${ganSeconds.toFixed(0)} s)`);

  // X: the mean and principal directions of the GAN's completions of the training maps, on the whole grid once;
  // each clip keeps the rows of its support (pcpsf orthonormalises them).
  const grid = uvSupport(trainCompletions);
  const Xfull = uvSubspace(trainCompletions, grid, c.subspaceRank);
  const basis = Array.from({ length: Xfull.columns }, (_, l) => columnTexture(Xfull, l, grid));
  const rows = Object.fromEntries(UV_ROWS.map((r) => [r, { psnr: 0, ssim: 0, accuracy: 0, accuracySd: 0, seconds: 0, iterations: 0 }])) as UvDemoResult['scores'];
  const completed: Record<UvRow, UvTexture[][]> = Object.fromEntries(UV_ROWS.map((r) => [r, []])) as unknown as Record<UvRow, UvTexture[][]>;
  let missingFraction = 0;
  let scored = 0;
  const candidates: { seen: number; tiles: UvTexture[] }[] = [];
  clips.forEach((clip, k) => {
    const support = clipSupport(clip);
    const observed = clip.observed.map((t) => restrict(t, support));
    const X = uvMatrix(basis, support).M;
    const out: Record<UvRow, UvTexture[]> = { input: observed, 'N (RoCGAN)': priors[k]!, pcp: [], pcps: [], pcpsf: [] };
    for (const method of ['pcp', 'pcps', 'pcpsf'] as const) {
      const t0 = performance.now();
      const r = completeUv(observed, method, { ...c.solver, support, prior: priors[k], subspace: X });
      rows[method].seconds += (performance.now() - t0) / 1000;
      rows[method].iterations += r.result.iterations / d.clips;
      out[method] = r.textures;
    }
    observed.forEach((o, j) => {
      const missing = Uint8Array.from(o.mask, (v, i) => (support.mask[i] && !v ? 1 : 0));
      if (!missing.some((v) => v === 1)) return;
      missingFraction += missing.reduce((a, b) => a + b, 0) / support.texels.length;
      scored++;
      for (const row of UV_ROWS) {
        const s = scoreUvCompletion(out[row][j]!, clip.truth[j]!, missing);
        rows[row].psnr += s.psnr;
        rows[row].ssim += s.ssim;
      }
    });
    for (const row of UV_ROWS) completed[row].push(out[row]);
    // The figure: each clip's most incomplete frame, as a candidate.
    const [seen, j] = observed.map((o, jj) => [o.mask.reduce((a, b) => a + b, 0) / support.texels.length, jj] as const).sort((a, b) => a[0] - b[0])[0]!;
    candidates.push({ seen, tiles: [...UV_ROWS.map((r) => out[r][j]!), restrict(clip.truth[j]!, support)] });
  });
  const figure = candidates.sort((a, b) => a.seen - b.seen).slice(0, 2).map((c) => c.tiles);
  for (const row of UV_ROWS) {
    rows[row].psnr /= scored;
    rows[row].ssim /= scored;
  }
  onStage(`completed ${d.clips} clips with pcp, pcps, pcpsf`);

  // Recognition: a small ArcFace model trained on frontal faces of training identities.
  const r0 = performance.now();
  const train = recognitionFaces(c.recognition.identities, c.recognition.perIdentity, d);
  const v = d.viewSize;
  const images = tf.tensor4d(Float32Array.from(train.views.flatMap((p) => Array.from(p, (x) => 255 * x))), [train.views.length, v, v, 3]);
  const backbone = iresnet({ ...IRESNET_SMALL, widths: c.recognition.widths, inputSize: v, seed: 1 });
  const { net: trained } = await trainArcFace({
    backbone,
    data: tensorFaceSource(images, train.labels),
    margin: { s: 32, m1: 1, m2: 0.5, m3: 0 },
    steps: c.recognition.steps,
    batchSize: c.recognition.batchSize,
    lr: c.recognition.lr,
    warmupSteps: Math.round(c.recognition.steps / 10),
    seed: 1,
    progress: false,
  });
  images.dispose();
  const recognitionSeconds = (performance.now() - r0) / 1000;
  onStage(`ArcFace trained on ${train.views.length} frontal faces of ${c.recognition.identities} identities (${recognitionSeconds.toFixed(0)} s)`);

  // Pairs: every 2nd frame of each clip, re-rendered frontally, against a held-out real frontal frame of the
  // same identity and of another one.
  const rng = new Rng(d.seed + 5);
  const plan: { clip: number; frame: number; other: number; held: number }[] = [];
  for (let k = 0; k < d.clips; k++) {
    for (let j = 0; j < d.frames; j += 2) {
      let other = rng.int(d.clips - 1);
      if (other >= k) other++;
      plan.push({ clip: k, frame: j, other, held: rng.int(d.heldOut) });
    }
  }
  const real = clips.map((clip) => clip.heldOut.map((h) => h.pixels));
  const realEmb = embedViews(backbone, real.flat(), v);
  const realOf = (k: number, h: number) => realEmb[k * d.heldOut + h]!;
  for (const row of UV_ROWS) {
    const views = plan.map((p) => renderUv(completed[row][p.clip]![p.frame]!, clips[p.clip]!.frontalUv[p.frame]!, v, v));
    const emb = embedViews(backbone, views, v);
    const embeddings: Float32Array[] = [];
    const issame: boolean[] = [];
    plan.forEach((p, i) => {
      embeddings.push(emb[i]!, realOf(p.clip, p.held), emb[i]!, realOf(p.other, p.held));
      issame.push(true, false);
    });
    const verified = verifyEmbeddings(embeddings, issame, { folds: Math.max(2, Math.min(10, Math.floor(plan.length / 4))) });
    rows[row].accuracy = verified.accuracy;
    rows[row].accuracySd = verified.std;
  }
  trained.dispose(); // the backbone's weights with it (shared)
  return { scores: rows, pairs: 2 * plan.length, missingFraction: missingFraction / scored, figure, ganSeconds, recognitionSeconds };
}

/** Embeddings of [0, 1] HWC views. */
function embedViews(model: tf.LayersModel, views: Float64Array[], v: number): Float32Array[] {
  const x = tf.tensor4d(Float32Array.from(views.flatMap((p) => Array.from(p, (y) => 255 * y))), [views.length, v, v, 3]);
  const out = embed(model, x, { flip: true });
  x.dispose();
  return out;
}
