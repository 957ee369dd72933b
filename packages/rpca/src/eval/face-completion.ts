/**
 * The paper's use case: aligned faces stacked as columns, corrupted by occluders (sparse errors) and with a
 * hidden block plus random pixels missing, completed by pcp (mask), pcps (mask + prior N) and pcpsf (mask +
 * prior + row features). The prior and the features come from clean training faces only. The faces are the
 * caller's (the demo renders synthetic ones); the hidden block and the missing pixels are drawn here, seeded.
 */
import { Rng } from '@facelab/runtime';
import { psnr, ssim } from '@facelab/metrics';
import { Matrix, SingularValueDecomposition, solve } from 'ml-matrix';
import { matmul } from '../linalg/matmul.js';
import { pcp, pcps, pcpsf } from '../model/solvers.js';
import type { RpcaOptions, RpcaResult } from '../model/types.js';

/** One face to complete: its clean pixels and what was seen (occluders included), grey, row-major, in [0, 1]. */
export interface CompletionFace {
  clean: ArrayLike<number>;
  seen: ArrayLike<number>;
}

/** The faces of {@link evaluateFaceCompletion}, each `size`×`size`. */
export interface FaceCompletionData {
  size: number;
  /** The faces to complete. */
  faces: readonly CompletionFace[];
  /** Clean training faces (other identities/expressions) for the prior and the row features. */
  trainFaces: readonly ArrayLike<number>[];
}

/** Options of {@link evaluateFaceCompletion}. */
export interface FaceCompletionOptions {
  /** Fraction of random pixels missing on top of the hidden block (default 0.1). */
  missing?: number;
  /** Weight α of ‖L − N‖* in pcps/pcpsf (default 1). */
  alpha?: number;
  /** Principal components of the training faces used as row features (default 20). */
  features?: number;
  /** Seed of the hidden blocks and missing pixels (default 1). */
  seed?: number;
  /** Solver options passed to pcp, pcps and pcpsf (stopping rule, λ; default: the solvers' defaults). */
  solver?: Pick<RpcaOptions, 'lambda' | 'tol' | 'tolDual' | 'maxIter'>;
}

/** Per-method quality of the completion against the clean faces. */
export interface FaceCompletionScore {
  method: string;
  psnr: number;
  ssim: number;
  iterations: number;
  seconds: number;
}

/** The corrupted input, the completions and their scores. */
export interface FaceCompletionResult {
  size: number;
  truth: Matrix;
  observed: Matrix;
  mask: Matrix;
  results: Record<'pcp' | 'pcps' | 'pcpsf', RpcaResult>;
  scores: FaceCompletionScore[];
}

/**
 * The prior N: each face's least-squares fit, on its observed pixels only, in the span of the training mean and
 * principal components (a small ridge keeps it stable when a block hides much of the face).
 */
function lowRankPrior(observed: Matrix, mask: Matrix, X: Matrix): Matrix {
  const N = new Matrix(observed.rows, observed.columns);
  const d = X.columns;
  for (let j = 0; j < observed.columns; j++) {
    const G = Matrix.eye(d, d).mul(1e-3);
    const b = new Matrix(d, 1);
    for (let i = 0; i < observed.rows; i++) {
      if (mask.get(i, j) === 0) continue;
      const x = X.getRow(i);
      for (let a = 0; a < d; a++) {
        b.set(a, 0, b.get(a, 0) + x[a]! * observed.get(i, j));
        for (let c = 0; c < d; c++) G.set(a, c, G.get(a, c) + x[a]! * x[c]!);
      }
    }
    N.setColumn(j, matmul(X, solve(G, b)).getColumn(0));
  }
  return N;
}

function asImage(col: ArrayLike<number>, size: number): number[][] {
  return Array.from({ length: size }, (_, y) => Array.from({ length: size }, (_, x) => col[y * size + x]!));
}

/** Mean PSNR/SSIM (data range 1) of the columns of `A` against `truth`, scored on the clipped images. */
export function scoreColumns(A: Matrix, truth: Matrix, size: number): { psnr: number; ssim: number } {
  let p = 0;
  let s = 0;
  for (let j = 0; j < truth.columns; j++) {
    const a = asImage(A.getColumn(j).map((v) => Math.min(1, Math.max(0, v))), size);
    const t = asImage(truth.getColumn(j), size);
    p += psnr(a, t, { dataRange: 1 });
    s += ssim(a, t, { dataRange: 1 });
  }
  return { psnr: p / truth.columns, ssim: s / truth.columns };
}

function checkFaceCompletionData({ size, faces, trainFaces }: FaceCompletionData, features: number): void {
  const m = size * size;
  if (!(Number.isInteger(size) && size >= 4)) throw new Error(`evaluateFaceCompletion: size must be an integer ≥ 4, got ${size}`);
  if (faces.length === 0) throw new Error('evaluateFaceCompletion: no faces to complete');
  const bad = faces.findIndex((f) => f.clean.length !== m || f.seen.length !== m);
  if (bad >= 0) throw new Error(`evaluateFaceCompletion: face ${bad} has ${faces[bad]!.clean.length} clean / ${faces[bad]!.seen.length} seen pixels, expected ${size}×${size} = ${m}`);
  const badTrain = trainFaces.findIndex((f) => f.length !== m);
  if (badTrain >= 0) throw new Error(`evaluateFaceCompletion: training face ${badTrain} has ${trainFaces[badTrain]!.length} pixels, expected ${m}`);
  if (!(Number.isInteger(features) && features >= 1 && features < Math.min(m, trainFaces.length))) {
    throw new Error(`evaluateFaceCompletion: features must be an integer in [1, ${Math.min(m, trainFaces.length) - 1}] (below the training faces' count), got ${features}`);
  }
}

/** Hides a block and random pixels of every face, completes them with pcp, pcps and pcpsf, and scores each. */
export function evaluateFaceCompletion(data: FaceCompletionData, options: FaceCompletionOptions = {}): FaceCompletionResult {
  const { size } = data;
  const n = data.faces.length;
  const nTrain = data.trainFaces.length;
  const d = options.features ?? 20;
  const seed = options.seed ?? 1;
  const alpha = options.alpha ?? 1;
  checkFaceCompletionData(data, d);
  const rng = new Rng(seed);
  const m = size * size;
  const truth = new Matrix(m, n);
  const observed = new Matrix(m, n);
  const mask = new Matrix(m, n);
  for (let j = 0; j < n; j++) {
    const f = data.faces[j]!;
    // A hidden block (e.g. an eye or the mouth region) plus random missing pixels.
    const bw = Math.round(size * 0.25);
    const bx = rng.int(size - bw);
    const by = Math.round(size * 0.3) + rng.int(Math.round(size * 0.4));
    for (let i = 0; i < m; i++) {
      const x = i % size;
      const y = Math.floor(i / size);
      const hidden = (x >= bx && x < bx + bw && y >= by && y < by + bw) || rng.next() < (options.missing ?? 0.1);
      truth.set(i, j, f.clean[i]!);
      mask.set(i, j, hidden ? 0 : 1);
      observed.set(i, j, hidden ? 0 : f.seen[i]!);
    }
  }
  // Clean training faces (other identities/expressions): their mean is the prior, their top components the features.
  const train = new Matrix(m, nTrain);
  for (let j = 0; j < nTrain; j++) train.setColumn(j, Array.from(data.trainFaces[j]!));
  const mean = train.mean('row');
  const centred = train.clone().subColumnVector(mean);
  const U = new SingularValueDecomposition(centred, { autoTranspose: true }).leftSingularVectors;
  const X = new Matrix(m, d + 1);
  X.setColumn(0, mean);
  for (let c = 0; c < d; c++) X.setColumn(c + 1, U.getColumn(c));
  const N = lowRankPrior(observed, mask, X);
  const Y = Matrix.eye(n, n);

  const timed = (method: 'pcp' | 'pcps' | 'pcpsf', run: () => RpcaResult) => {
    const t = Date.now();
    const r = run();
    return { r, seconds: (Date.now() - t) / 1000, method };
  };
  const runs = [
    timed('pcp', () => pcp(observed, { ...options.solver, mask })),
    timed('pcps', () => pcps(observed, N, { ...options.solver, mask, alpha })),
    timed('pcpsf', () => pcpsf(observed, N, X, Y, { ...options.solver, mask, alpha })),
  ];
  const scores: FaceCompletionScore[] = [
    { method: 'input (hidden = 0)', ...scoreColumns(observed, truth, size), iterations: 0, seconds: 0 },
    { method: 'prior N (training-face fit)', ...scoreColumns(N, truth, size), iterations: 0, seconds: 0 },
  ];
  for (const { r, seconds, method } of runs) scores.push({ method, ...scoreColumns(r.L, truth, size), iterations: r.iterations, seconds });
  return {
    size,
    truth,
    observed,
    mask,
    results: { pcp: runs[0]!.r, pcps: runs[1]!.r, pcpsf: runs[2]!.r },
    scores,
  };
}
