/**
 * A clip's UV textures as the columns of M (Xue et al. 2018, §5): one row per (support texel, channel), one
 * column per frame; the visibility masks become the observation mask Ω.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { UvTexture } from './sample.js';

/** The texels a matrix row can refer to: size×size 0/1, with `count` ones. */
export interface UvSupport {
  size: number;
  channels: number;
  mask: Uint8Array;
  /** Texel index (v·size + u) of each support texel, in row order. */
  texels: Int32Array;
}

/** Checks that textures share one size and channel count; returns them. */
export function checkTextures(textures: readonly UvTexture[], name: string): { size: number; channels: number } {
  if (!Array.isArray(textures) || textures.length === 0) throw new Error(`${name} must be a non-empty array of UV textures`);
  const first = textures[0]!;
  textures.forEach((t, j) => {
    if (typeof t !== 'object' || t === null || !(t.data instanceof Float64Array) || !(t.mask instanceof Uint8Array)) {
      throw new Error(`${name}[${j}] is not a UV texture ({ size, channels, data: Float64Array, mask: Uint8Array })`);
    }
    if (t.size !== first.size || t.channels !== first.channels) {
      throw new Error(`${name}[${j}] is ${t.size}×${t.size}×${t.channels} but ${name}[0] is ${first.size}×${first.size}×${first.channels}`);
    }
    if (t.data.length !== t.size * t.size * t.channels || t.mask.length !== t.size * t.size) {
      throw new Error(`${name}[${j}] has ${t.data.length} values and ${t.mask.length} mask entries for ${t.size}×${t.size}×${t.channels}`);
    }
    for (let i = 0; i < t.data.length; i++) {
      if (!Number.isFinite(t.data[i])) throw new Error(`${name}[${j}] value ${i} is ${t.data[i]}: values must be finite`);
    }
  });
  return { size: first.size, channels: first.channels };
}

/** The support from a size×size 0/1 mask (default: texels observed in at least one of `textures`). */
export function uvSupport(textures: readonly UvTexture[], mask?: Uint8Array): UvSupport {
  const { size, channels } = checkTextures(textures, 'textures');
  let m = mask;
  if (m === undefined) {
    m = new Uint8Array(size * size);
    for (const t of textures) for (let i = 0; i < m.length; i++) m[i] ||= t.mask[i]!;
  } else if (!(m instanceof Uint8Array) || m.length !== size * size) {
    throw new Error(`support must be a Uint8Array of ${size}×${size} = ${size * size} entries`);
  }
  const texels: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i]) texels.push(i);
  if (texels.length === 0) throw new Error('the UV support is empty: no texel is observed in any frame');
  return { size, channels, mask: Uint8Array.from(m, (v) => (v ? 1 : 0)), texels: Int32Array.from(texels) };
}

/** Textures as columns over the support: M (support·channels × frames) and its 0/1 visibility mask. */
export function uvMatrix(textures: readonly UvTexture[], support: UvSupport): { M: Matrix; mask: Matrix } {
  checkTextures(textures, 'textures');
  const c = support.channels;
  const rows = support.texels.length * c;
  const M = new Matrix(rows, textures.length);
  const mask = new Matrix(rows, textures.length);
  textures.forEach((t, j) => {
    if (t.size !== support.size || t.channels !== c) throw new Error(`texture ${j} is ${t.size}×${t.size}×${t.channels} but the support is ${support.size}×${support.size}×${c}`);
    support.texels.forEach((texel, r) => {
      for (let k = 0; k < c; k++) {
        M.set(r * c + k, j, t.data[texel * c + k]!);
        mask.set(r * c + k, j, t.mask[texel]!);
      }
    });
  });
  return { M, mask };
}

/** Column j of A (support·channels rows) as a texture: the support's texels filled, mask = support. */
export function columnTexture(A: Matrix, j: number, support: UvSupport): UvTexture {
  const { size, channels: c } = support;
  const data = new Float64Array(size * size * c);
  support.texels.forEach((texel, r) => {
    for (let k = 0; k < c; k++) data[texel * c + k] = A.get(r * c + k, j);
  });
  return { size, channels: c, data, mask: support.mask.slice() };
}

/**
 * An orthonormal-ready basis for X: the mean column and the top `rank` principal directions of `textures`
 * (complete ones, e.g. a GAN's completions) over the support, as a (support·channels)×(rank + 1) matrix.
 */
export function uvSubspace(textures: readonly UvTexture[], support: UvSupport, rank: number): Matrix {
  if (!Number.isInteger(rank) || rank < 1) throw new Error(`rank must be a positive integer (got ${String(rank)})`);
  if (rank > textures.length - 1) throw new Error(`rank ${rank} needs at least ${rank + 1} textures (got ${textures.length})`);
  const { M } = uvMatrix(textures, support);
  const mean = M.mean('row');
  const centred = new Matrix(M.rows, M.columns);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.columns; j++) centred.set(i, j, M.get(i, j) - mean[i]!);
  // Principal directions from the small n×n Gram matrix (n = textures ≪ rows): U = C·V·Σ⁻¹.
  const G = centred.transpose().mmul(centred);
  const eig = new EigenvalueDecomposition(G, { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
  const X = new Matrix(M.rows, rank + 1);
  X.setColumn(0, mean);
  for (let l = 0; l < rank; l++) {
    const [value, idx] = order[l]!;
    if (!(value > 1e-12 * order[0]![0])) throw new Error(`the textures span fewer than ${rank} directions beyond their mean`);
    const v = eig.eigenvectorMatrix.getColumn(idx);
    const u = centred.mmul(Matrix.columnVector(v)).div(Math.sqrt(value));
    X.setColumn(l + 1, u.getColumn(0));
  }
  return X;
}
