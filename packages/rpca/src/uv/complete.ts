/**
 * UV texture completion of a clip (Xue et al. 2018, §5): the frames' incomplete textures are the columns of M
 * with Ω their visibility; pcp uses M alone, pcps adds the per-frame side information N (e.g. a GAN's
 * completions), pcpsf also the texture subspace X in the left-subspace-only mode (Y = I implicitly).
 */
import type { Matrix } from 'ml-matrix';
import { pcp, pcps, pcpsf } from '../model/solvers.js';
import type { RpcaResult, RpcaSideOptions } from '../model/types.js';
import { type UvSupport, checkTextures, columnTexture, uvMatrix, uvSupport } from './matrix.js';
import type { UvTexture } from './sample.js';

/** The solvers compared on UV maps. */
export const UV_METHODS = ['pcp', 'pcps', 'pcpsf'] as const;
/** One of {@link UV_METHODS}. */
export type UvMethod = (typeof UV_METHODS)[number];

/** Options of {@link completeUv}: the solver's, plus the side information. */
export interface CompleteUvOptions extends Omit<RpcaSideOptions, 'mask'> {
  /** Side information N: one complete texture per frame (pcps, pcpsf). */
  prior?: readonly UvTexture[];
  /** The texture subspace X over the support (rows = support texels × channels), e.g. from `uvSubspace` (pcpsf). */
  subspace?: Matrix;
  /** Texels to complete (default: those observed in at least one frame). */
  support?: UvSupport;
}

/** What {@link completeUv} returns. */
export interface CompleteUvResult {
  /** One completed texture per frame (mask = the support). */
  textures: UvTexture[];
  /** The sparse part per frame (occlusions, specularities), 0 on missing texels. */
  errors: UvTexture[];
  support: UvSupport;
  result: RpcaResult;
}

/** Completes a clip's UV textures with `method`; texels outside the support stay missing. */
export function completeUv(observed: readonly UvTexture[], method: UvMethod, options: CompleteUvOptions = {}): CompleteUvResult {
  if (!UV_METHODS.includes(method)) throw new Error(`method must be one of ${UV_METHODS.join(', ')} (got ${String(method)})`);
  const { prior, subspace, support: given, ...solver } = options;
  const support = given ?? uvSupport(observed);
  const { M, mask } = uvMatrix(observed, support);
  let result: RpcaResult;
  if (method === 'pcp') {
    result = pcp(M, { ...solver, mask });
  } else {
    if (prior === undefined) throw new Error(`${method} needs side information: options.prior (one complete texture per frame)`);
    checkTextures(prior, 'prior');
    if (prior.length !== observed.length) throw new Error(`prior has ${prior.length} textures but the clip has ${observed.length} frames`);
    const N = uvMatrix(prior.map((t) => ({ ...t, mask: support.mask })), support).M;
    if (method === 'pcps') result = pcps(M, N, { ...solver, mask });
    else {
      if (subspace === undefined) throw new Error('pcpsf needs options.subspace (X: support texels × channels rows)');
      result = pcpsf(M, N, subspace, null, { ...solver, mask });
    }
  }
  const frames = observed.length;
  return {
    textures: Array.from({ length: frames }, (_, j) => columnTexture(result.L, j, support)),
    errors: Array.from({ length: frames }, (_, j) => columnTexture(result.S, j, support)),
    support,
    result,
  };
}
