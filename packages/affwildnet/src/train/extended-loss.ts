/**
 * Extended-loss transfer (Kollias et al., arXiv 1809.04359), our reading: after training on dataset B, the
 * last hidden layer's representations of B are clustered per class (k-means, K per class); while training on
 * dataset A the loss adds an anchor term keeping the network's top layer correct on those centres, so it
 * learns A "without forgetting" B: L = CE_A + λ · anchor(head(centres), centre labels).
 */
import { Rng, crossEntropyLoss, tf } from '@facelab/core-tensor';

/** Cluster centres with their class labels. */
export interface LabelledCentres {
  /** [C·K rows][D]. */
  centres: number[][];
  labels: number[];
}

function nearest(x: readonly number[], centres: readonly number[][]): number {
  let best = 0;
  let bestD = Infinity;
  centres.forEach((c, j) => {
    let d = 0;
    for (let i = 0; i < x.length; i++) d += (x[i]! - c[i]!) ** 2;
    if (d < bestD) [best, bestD] = [j, d];
  });
  return best;
}

/** Lloyd's k-means of `points` into `k` centres, seeded k-means++ initialisation, `iterations` rounds. */
export function kmeans(points: readonly number[][], k: number, seed: number, iterations = 25): number[][] {
  if (points.length < k) throw new Error(`kmeans: ${points.length} point(s) cannot make ${k} clusters`);
  const rng = new Rng(seed);
  const centres: number[][] = [points[rng.int(points.length)]!.slice()];
  while (centres.length < k) {
    const d2 = points.map((p) => {
      const c = centres[nearest(p, centres)]!;
      return p.reduce((s, v, i) => s + (v - c[i]!) ** 2, 0);
    });
    let r = rng.next() * d2.reduce((a, b) => a + b, 0);
    let pick = 0;
    while (pick < points.length - 1 && (r -= d2[pick]!) > 0) pick++;
    centres.push(points[pick]!.slice());
  }
  for (let it = 0; it < iterations; it++) {
    const sums = centres.map((c) => c.map(() => 0));
    const counts = centres.map(() => 0);
    for (const p of points) {
      const j = nearest(p, centres);
      counts[j]!++;
      p.forEach((v, i) => (sums[j]![i]! += v));
    }
    centres.forEach((c, j) => {
      if (counts[j]! > 0) c.forEach((_, i) => (c[i] = sums[j]![i]! / counts[j]!));
    });
  }
  return centres;
}

/** K-means centres of each class's representations (`features[i]` has class `labels[i]`), seeded. */
export function classCentres(features: readonly number[][], labels: readonly number[], k: number, seed = 1): LabelledCentres {
  const classes = [...new Set(labels)].sort((a, b) => a - b);
  const out: LabelledCentres = { centres: [], labels: [] };
  for (const c of classes) {
    const members = features.filter((_, i) => labels[i] === c);
    for (const centre of kmeans(members, Math.min(k, members.length), seed + c)) {
      out.centres.push(centre);
      out.labels.push(c);
    }
  }
  return out;
}

/** Options of {@link extendedLoss}. */
export interface ExtendedLossOptions {
  /** Weight λ of the anchor term (default 1). */
  lambda?: number;
  /** 'ce' (default): cross-entropy of head(centres) with the centre labels; 'mse': squared error of their softmax to one-hot labels. */
  anchor?: 'ce' | 'mse';
}

/**
 * CE(labelsA, logitsA) + λ · anchor(centreLogits, centreLabels), where `centreLogits` = the network's top
 * layer applied to the centres ([M, C]) and `centreLabels` are integer labels [M].
 */
export function extendedLoss(labelsA: tf.Tensor, logitsA: tf.Tensor, centreLogits: tf.Tensor2D, centreLabels: tf.Tensor1D, options: ExtendedLossOptions = {}): tf.Scalar {
  const lambda = options.lambda ?? 1;
  if (!(lambda >= 0)) throw new Error(`extendedLoss: lambda must be ≥ 0, got ${lambda}`);
  const anchor = options.anchor ?? 'ce';
  if (anchor !== 'ce' && anchor !== 'mse') throw new Error(`extendedLoss: anchor must be 'ce' or 'mse', got '${String(anchor)}'`);
  return tf.tidy(() => {
    const term =
      anchor === 'ce'
        ? crossEntropyLoss(centreLabels, centreLogits)
        : tf.mean(tf.sum(tf.square(tf.sub(tf.softmax(centreLogits), tf.oneHot(tf.cast(centreLabels, 'int32'), centreLogits.shape[1]))), -1));
    return tf.add(crossEntropyLoss(labelsA, logitsA), tf.mul(lambda, term)) as tf.Scalar;
  });
}
