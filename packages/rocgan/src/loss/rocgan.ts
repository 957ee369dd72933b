/**
 * RoCGAN objectives (Chrysos et al., ICLR 2019, Sec. 3.1, Eqs. 2–4; reference `updaters/gans/updater_rocgan.py`),
 * every term an element mean as in the reference:
 *
 *   L_G = adv(D(G_reg(x))) + λ_c·mean|y − G_reg(x)| + λ_ae·mean|y − G_AE(y)| + λ_l·mean|E_reg(x) − E_AE(y)|
 *         [+ λ_decov·DeCov(E_AE(y))] [+ λ_π·mean|f_D(y) − f_D(G_reg(x))| with `projectionOn: 'generator'`]
 *   L_D = adv_D(D(y), D(G_reg(x))) [+ λ_π·mean|f_D(y) − f_D(G_reg(x))| with `projectionOn: 'discriminator'`]
 *
 * The latent term is L1 (the reference's `latl`) or L2 (`latl2`, mean squared). The cGAN baseline is the same
 * without the reconstruction, latent and DeCov terms.
 */
import { ganDiscriminatorLoss, ganGeneratorLoss, tf, type GanLossKind } from '@facelab/core-tensor';

/** Where the feature-matching ("projection") term goes: the paper's text puts it in G's loss, the reference code in D's. */
export type ProjectionSide = 'generator' | 'discriminator';

/** Loss weights and choices; defaults are the reference's inpainting configuration. */
export interface RocGanLossWeights {
  /** λ_c, content L1 of the regression output (default 100). */
  content?: number;
  /** λ_ae, reconstruction L1 of the autoencoder pathway (default 100). */
  reconstruction?: number;
  /** λ_l, latent loss (default 20 — the reference's inpainting value; 1 for super-resolution). */
  latent?: number;
  /** 'l1' (default) or 'l2' latent loss. */
  latentNorm?: 'l1' | 'l2';
  /** λ_decov, DeCov of the AE latent (default 0: off, as the reference's configs). */
  decov?: number;
  /** λ_π, feature-matching term on the discriminator features (default 100). */
  projection?: number;
  /** Which loss the feature-matching term joins (default 'generator', the paper). */
  projectionOn?: ProjectionSide;
  /** Adversarial objective (default 'nonSaturating' = the reference's softplus). */
  adversarial?: GanLossKind;
}

/** Default loss weights (reference `iclr_5layer_rocgan.yml`, inpainting). */
export const ROCGAN_LOSS_DEFAULTS: Readonly<Required<RocGanLossWeights>> = Object.freeze({
  content: 100,
  reconstruction: 100,
  latent: 20,
  latentNorm: 'l1',
  decov: 0,
  projection: 100,
  projectionOn: 'generator',
  adversarial: 'nonSaturating',
});

/** Fills defaults and validates the weights (one-line errors naming the weight). */
export function resolveLossWeights(w: RocGanLossWeights = {}): Required<RocGanLossWeights> {
  const r = {
    ...ROCGAN_LOSS_DEFAULTS,
    ...Object.fromEntries(Object.entries(w).filter(([, v]) => v !== undefined)),
  } as Required<RocGanLossWeights>;
  for (const k of ['content', 'reconstruction', 'latent', 'decov', 'projection'] as const) {
    if (typeof r[k] !== 'number' || !(r[k] >= 0) || !Number.isFinite(r[k]))
      throw new Error(`loss weight '${k}' must be a non-negative number, got ${r[k]}`);
  }
  if (r.latentNorm !== 'l1' && r.latentNorm !== 'l2') throw new Error(`latentNorm must be 'l1' or 'l2', got '${String(r.latentNorm)}'`);
  if (r.projectionOn !== 'generator' && r.projectionOn !== 'discriminator') {
    throw new Error(`projectionOn must be 'generator' or 'discriminator', got '${String(r.projectionOn)}'`);
  }
  return r;
}

/** The tensors the generator loss reads; the autoencoder ones are absent for the cGAN baseline. */
export interface GeneratorLossTerms {
  /** D(G_reg(x)) logits. */
  fakeLogits: tf.Tensor;
  /** Target y. */
  target: tf.Tensor;
  /** Regression output G_reg(x). */
  output: tf.Tensor;
  /** Autoencoder output G_AE(y) (RoCGAN). */
  reconstruction?: tf.Tensor;
  /** E_reg(x) (RoCGAN). */
  latentReg?: tf.Tensor;
  /** E_AE(y) (RoCGAN). */
  latentAe?: tf.Tensor;
  /** f_D(y) and f_D(G_reg(x)) (needed when the projection term is on the generator side and weighted). */
  realFeatures?: tf.Tensor;
  fakeFeatures?: tf.Tensor;
}

/** The total and each unweighted term (scalars; terms not in play are absent). */
export interface LossBreakdown {
  total: tf.Scalar;
  terms: Record<string, tf.Scalar>;
}

const l1 = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar;
const l2 = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.square(tf.sub(a, b))) as tf.Scalar;

function sameShape(a: tf.Tensor, b: tf.Tensor, what: string): void {
  if (a.shape.join() !== b.shape.join()) throw new Error(`${what}: shapes differ, [${a.shape}] vs [${b.shape}]`);
}

function weighted(terms: Record<string, tf.Scalar>, weights: Record<string, number>): tf.Scalar {
  let total: tf.Tensor = tf.scalar(0);
  for (const [k, t] of Object.entries(terms)) total = tf.add(total, tf.mul(weights[k] ?? 1, t));
  return total as tf.Scalar;
}

/**
 * DeCov (Cogswell et al. 2016): ½(‖C‖²_F − ‖diag C‖²) with C the covariance of the batch's latent codes,
 * C_ij = 1/N Σ_n (h_in − μ_i)(h_jn − μ_j) over features i, j (any latent shape [N, ...]).
 */
export function decovLoss(latent: tf.Tensor): tf.Scalar {
  if (latent.rank < 2) throw new Error(`decovLoss: latent must be [N, ...], got shape [${latent.shape}]`);
  return tf.tidy(() => {
    const n = latent.shape[0]!;
    const h = tf.reshape(latent, [n, -1]);
    const centred = tf.sub(h, tf.mean(h, 0, true));
    const cov = tf.div(tf.matMul(centred, centred, true, false), n);
    const diag = tf.sum(tf.square(tf.mean(tf.square(centred), 0)));
    return tf.mul(0.5, tf.sub(tf.sum(tf.square(cov)), diag)) as tf.Scalar;
  });
}

/** The generator loss L_G of RoCGAN (or of the cGAN when the autoencoder terms are absent). */
export function rocganGeneratorLoss(t: GeneratorLossTerms, weights: RocGanLossWeights = {}): LossBreakdown {
  const w = resolveLossWeights(weights);
  sameShape(t.target, t.output, 'rocganGeneratorLoss: target vs output');
  const hasAe = t.reconstruction !== undefined || t.latentReg !== undefined || t.latentAe !== undefined;
  if (hasAe && (t.reconstruction === undefined || t.latentReg === undefined || t.latentAe === undefined)) {
    throw new Error('rocganGeneratorLoss: give all of reconstruction, latentReg and latentAe (RoCGAN) or none (cGAN)');
  }
  const projected = w.projectionOn === 'generator' && w.projection > 0;
  if (projected && (t.realFeatures === undefined || t.fakeFeatures === undefined)) {
    throw new Error("rocganGeneratorLoss: projectionOn 'generator' needs realFeatures and fakeFeatures");
  }
  return tf.tidy(() => {
    const terms: Record<string, tf.Scalar> = {
      adversarial: ganGeneratorLoss(t.fakeLogits, { kind: w.adversarial }),
      content: l1(t.target, t.output),
    };
    if (hasAe) {
      sameShape(t.target, t.reconstruction!, 'rocganGeneratorLoss: target vs reconstruction');
      sameShape(t.latentReg!, t.latentAe!, 'rocganGeneratorLoss: latentReg vs latentAe');
      terms.reconstruction = l1(t.target, t.reconstruction!);
      terms.latent = (w.latentNorm === 'l1' ? l1 : l2)(t.latentReg!, t.latentAe!);
      if (w.decov > 0) terms.decov = decovLoss(t.latentAe!);
    }
    if (projected) {
      sameShape(t.realFeatures!, t.fakeFeatures!, 'rocganGeneratorLoss: realFeatures vs fakeFeatures');
      terms.projection = l1(t.realFeatures!, t.fakeFeatures!);
    }
    const total = weighted(terms, {
      adversarial: 1,
      content: w.content,
      reconstruction: w.reconstruction,
      latent: w.latent,
      decov: w.decov,
      projection: w.projection,
    });
    return { total, terms };
  });
}

/** The tensors the discriminator loss reads. */
export interface DiscriminatorLossTerms {
  realLogits: tf.Tensor;
  fakeLogits: tf.Tensor;
  /** f_D(y) and f_D(G_reg(x)) (needed when the projection term is on the discriminator side and weighted). */
  realFeatures?: tf.Tensor;
  fakeFeatures?: tf.Tensor;
}

/** The discriminator loss L_D (adversarial, plus the projection term with `projectionOn: 'discriminator'`). */
export function rocganDiscriminatorLoss(t: DiscriminatorLossTerms, weights: RocGanLossWeights = {}): LossBreakdown {
  const w = resolveLossWeights(weights);
  const projected = w.projectionOn === 'discriminator' && w.projection > 0;
  if (projected && (t.realFeatures === undefined || t.fakeFeatures === undefined)) {
    throw new Error("rocganDiscriminatorLoss: projectionOn 'discriminator' needs realFeatures and fakeFeatures");
  }
  return tf.tidy(() => {
    const terms: Record<string, tf.Scalar> = { adversarial: ganDiscriminatorLoss(t.realLogits, t.fakeLogits, { kind: w.adversarial }) };
    if (projected) {
      sameShape(t.realFeatures!, t.fakeFeatures!, 'rocganDiscriminatorLoss: realFeatures vs fakeFeatures');
      terms.projection = l1(t.realFeatures!, t.fakeFeatures!);
    }
    return { total: weighted(terms, { adversarial: 1, projection: w.projection }), terms };
  });
}
