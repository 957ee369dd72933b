/**
 * Extended-loss transfer (Kollias & Zafeiriou, arXiv 1809.04359), our readings (the paper's formula could not
 * be retrieved): after training on dataset B, the last hidden layer's representations of B are clustered per
 * class (k-means, K per class); while training on dataset A the loss adds an anchor term on those centres,
 * L = CE_A + λ · anchor: either the top layer must stay correct on the centres ('ce' / 'mse', constrains the
 * head), or A's representations are pulled to the nearest centre of their class ('representation', constrains
 * the trunk), or the whole current network must stay correct on each centre's medoid, the B sample nearest the
 * centre ('medoids' / 'medoids-mse': head(centres) with the centres' representations refreshed through the
 * current trunk, so the anchor follows the trunk as it drifts).
 */
import { Rng } from '@facelab/runtime';
import { crossEntropyLoss, tf } from '@facelab/core-tensor';

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

/** Centres with their class labels and each centre's medoid (see {@link classMedoids}). */
export interface LabelledMedoids extends LabelledCentres {
  /** Index into the clustered samples of the sample nearest each centre, among the centre's class. */
  medoids: number[];
}

/**
 * {@link classCentres} plus each centre's medoid: the sample of the centre's class whose representation is
 * nearest the centre (squared Euclidean; ties go to the lower index).
 */
export function classMedoids(features: readonly number[][], labels: readonly number[], k: number, seed = 1): LabelledMedoids {
  if (features.length !== labels.length) throw new Error(`classMedoids: ${features.length} feature rows but ${labels.length} labels`);
  const centres = classCentres(features, labels, k, seed);
  const medoids = centres.centres.map((centre, j) => {
    const members = labels.flatMap((l, i) => (l === centres.labels[j] ? [i] : []));
    return members[nearest(centre, members.map((i) => features[i]!))]!;
  });
  return { ...centres, medoids };
}

/**
 * Mean over A's samples of the squared Euclidean distance from the sample's last-hidden-layer representation
 * (`hiddenA` [N, D], class `labelsA` [N]) to the nearest centre of its own class (`centres` [M, D] with
 * `centreLabels` [M]): pulls A's representations onto B's class clusters, which constrains the trunk.
 * Every class in `labelsA` must have a centre (otherwise the distance is infinite).
 */
export function representationAnchorLoss(hiddenA: tf.Tensor2D, labelsA: tf.Tensor1D, centres: tf.Tensor2D, centreLabels: tf.Tensor1D): tf.Scalar {
  if (hiddenA.shape[1] !== centres.shape[1]) {
    throw new Error(`representationAnchorLoss: representations are ${hiddenA.shape[1]}-d but centres ${centres.shape[1]}-d`);
  }
  return tf.tidy(() => {
    const d2 = tf.sum(tf.square(tf.sub(tf.expandDims(hiddenA, 1), tf.expandDims(centres, 0))), -1); // [N, M]
    const sameClass = tf.equal(tf.expandDims(labelsA, 1), tf.expandDims(centreLabels, 0));
    return tf.mean(tf.min(tf.where(sameClass, d2, tf.fill(d2.shape, Infinity)), 1)) as tf.Scalar;
  });
}

/** Which anchor the extended loss adds (see {@link extendedLoss}). */
export type ExtendedAnchor = 'ce' | 'mse' | 'representation' | 'medoids' | 'medoids-mse';

/** Options of {@link extendedLoss}. */
export interface ExtendedLossOptions {
  /** Weight λ of the anchor term (default 1). */
  lambda?: number;
  /**
   * 'ce' (default): cross-entropy of head(centres) with the centre labels; 'mse': squared error of their
   * softmax to one-hot labels; 'representation': {@link representationAnchorLoss} of A's representations;
   * 'medoids' / 'medoids-mse': the 'ce' / 'mse' term on the current network's logits of the centres' medoids.
   */
  anchor?: ExtendedAnchor;
}

/** B's labelled centres and, per batch, what the chosen anchor compares with them. */
export interface ExtendedAnchorInputs {
  /** Class of each centre [M]. */
  centreLabels: tf.Tensor1D;
  /** 'ce' / 'mse': the network's top layer applied to the centres; 'medoids*': the network's logits of the medoids [M, C]. */
  centreLogits?: tf.Tensor2D;
  /** 'representation': the centres themselves [M, D]. */
  centres?: tf.Tensor2D;
  /** 'representation': A's last-hidden-layer representations of the batch [N, D]. */
  hiddenA?: tf.Tensor2D;
}

/**
 * The extended loss CE(labelsA, logitsA) + λ · anchor, the anchor chosen by `options.anchor` and computed from
 * `inputs` (labels are integer class indices).
 */
export function extendedLoss(labelsA: tf.Tensor1D, logitsA: tf.Tensor2D, inputs: ExtendedAnchorInputs, options: ExtendedLossOptions = {}): tf.Scalar {
  const lambda = options.lambda ?? 1;
  if (!(lambda >= 0)) throw new Error(`extendedLoss: lambda must be ≥ 0, got ${lambda}`);
  const anchor = options.anchor ?? 'ce';
  const need = (name: 'centreLogits' | 'centres' | 'hiddenA') => {
    const t = inputs[name];
    if (!t) throw new Error(`extendedLoss: anchor '${anchor}' needs inputs.${name}`);
    return t;
  };
  return tf.tidy(() => {
    let term: tf.Scalar;
    if (anchor === 'representation') term = representationAnchorLoss(need('hiddenA'), labelsA, need('centres'), inputs.centreLabels);
    else if (anchor === 'ce' || anchor === 'medoids') term = crossEntropyLoss(inputs.centreLabels, need('centreLogits'));
    else if (anchor === 'mse' || anchor === 'medoids-mse') {
      const logits = need('centreLogits');
      const target = tf.oneHot(tf.cast(inputs.centreLabels, 'int32'), logits.shape[1]);
      term = tf.mean(tf.sum(tf.square(tf.sub(tf.softmax(logits), target)), -1));
    } else throw new Error(`extendedLoss: anchor must be 'ce', 'mse', 'representation', 'medoids' or 'medoids-mse', got '${String(anchor)}'`);
    return tf.add(crossEntropyLoss(labelsA, logitsA), tf.mul(lambda, term)) as tf.Scalar;
  });
}
