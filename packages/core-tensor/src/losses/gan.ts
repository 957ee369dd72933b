/** GAN losses on discriminator logits: non-saturating (Goodfellow et al. 2014), LSGAN (Mao et al. 2017), hinge. */
import { tf } from '../tf.js';
import { assertRank } from './check.js';

/** Which GAN objective: 'nonSaturating' (default), 'lsgan' (targets 0/1, factor ½) or 'hinge'. */
export type GanLossKind = 'nonSaturating' | 'lsgan' | 'hinge';

/** Options of the GAN losses. */
export interface GanLossOptions {
  /** The GAN objective (default 'nonSaturating'). */
  kind?: GanLossKind;
}

function kindOf(options: GanLossOptions, fn: string): GanLossKind {
  const kind = options.kind ?? 'nonSaturating';
  if (kind !== 'nonSaturating' && kind !== 'lsgan' && kind !== 'hinge') {
    throw new Error(`${fn}: unknown kind '${String(kind)}': expected 'nonSaturating', 'lsgan' or 'hinge'`);
  }
  return kind;
}

/**
 * Discriminator loss from logits D(x) on real and fake samples (any shapes; each term is a mean):
 * nonSaturating: mean softplus(−D(real)) + mean softplus(D(fake));
 * lsgan: ½·mean (D(real) − 1)² + ½·mean D(fake)²;
 * hinge: mean relu(1 − D(real)) + mean relu(1 + D(fake)).
 */
export function ganDiscriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor, options: GanLossOptions = {}): tf.Scalar {
  const kind = kindOf(options, 'ganDiscriminatorLoss');
  assertRank(realLogits, 0, 'ganDiscriminatorLoss', 'realLogits');
  assertRank(fakeLogits, 0, 'ganDiscriminatorLoss', 'fakeLogits');
  return tf.tidy(() => {
    switch (kind) {
      case 'nonSaturating':
        return tf.add(tf.mean(tf.softplus(tf.neg(realLogits))), tf.mean(tf.softplus(fakeLogits))) as tf.Scalar;
      case 'lsgan':
        return tf.mul(0.5, tf.add(tf.mean(tf.square(tf.sub(realLogits, 1))), tf.mean(tf.square(fakeLogits)))) as tf.Scalar;
      case 'hinge':
        return tf.add(tf.mean(tf.relu(tf.sub(1, realLogits))), tf.mean(tf.relu(tf.add(1, fakeLogits)))) as tf.Scalar;
    }
  });
}

/**
 * Generator loss from discriminator logits D(G(z)):
 * nonSaturating: mean softplus(−D(fake)) (= −mean log σ(D(fake)));
 * lsgan: ½·mean (D(fake) − 1)²; hinge: −mean D(fake).
 */
export function ganGeneratorLoss(fakeLogits: tf.Tensor, options: GanLossOptions = {}): tf.Scalar {
  const kind = kindOf(options, 'ganGeneratorLoss');
  assertRank(fakeLogits, 0, 'ganGeneratorLoss', 'fakeLogits');
  return tf.tidy(() => {
    switch (kind) {
      case 'nonSaturating':
        return tf.mean(tf.softplus(tf.neg(fakeLogits))) as tf.Scalar;
      case 'lsgan':
        return tf.mul(0.5, tf.mean(tf.square(tf.sub(fakeLogits, 1)))) as tf.Scalar;
      case 'hinge':
        return tf.neg(tf.mean(fakeLogits)) as tf.Scalar;
    }
  });
}
