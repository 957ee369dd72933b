/**
 * Landmark error after deblurring (arXiv 1803.03330 evaluates the deblurred faces through landmark localisation):
 * a 68-point locator runs on the blurred input or a network's output, and its points are compared with the
 * sharp frame's ground truth by the normalised mean error — the mean point-to-point distance over the 68 iBUG
 * points divided by the ground truth's inter-ocular distance (outer eye corners, points 36 and 45; the 300-W
 * convention, @facelab/metrics' `nme`). The locator shipped here is @facelab/densereg's landmarks-from-U-V: a
 * DenseReg network predicts dense (u, v) and each landmark is the foreground pixel nearest to its template (u, v).
 */
import { tf } from '@facelab/core-tensor';
import { landmarksFromUV, predictUV, type DecodeOptions, type DenseRegSample } from '@facelab/densereg';
import { nme } from '@facelab/metrics';

/** Locates 68 landmarks per image: images are HWC float32 in [0, 1], `size`×`size`; each result is [x0, y0, …, x67, y67] in pixels (NaN where none was found). */
export type LandmarkLocator = (images: readonly Float32Array[], size: number) => Float32Array[];

/** The landmark measure of {@link evaluateDeblur}: a locator and the ground-truth landmarks of each pair's sharp frame. */
export interface LandmarkMeasure {
  /** The locator (e.g. {@link denseRegLocator}); it must not have seen the test faces. */
  locate: LandmarkLocator;
  /** Ground truth of each pair, [x0, y0, …] (136 values) in the pair's pixels. */
  truth: readonly Float32Array[];
}

const POINTS = 68;

const points = (pts: Float32Array) => Array.from({ length: POINTS }, (_, k) => [pts[2 * k]!, pts[2 * k + 1]!]);

/**
 * Normalised mean error of one image: mean over the 68 points of ‖p_k − g_k‖, divided by ‖g_36 − g_45‖ (outer eye
 * corners of the ground truth). NaN when a predicted point is not finite (the locator found nothing).
 */
export function landmarkError(predicted: Float32Array, truth: Float32Array): number {
  if (predicted.length !== 2 * POINTS || truth.length !== 2 * POINTS) {
    throw new Error(`landmarkError: landmarks must be 68 points (136 values), got ${predicted.length} predicted and ${truth.length} true values`);
  }
  if (!truth.every(Number.isFinite)) throw new Error('landmarkError: the ground-truth landmarks contain non-finite values');
  if (!predicted.every(Number.isFinite)) return Number.NaN;
  return nme([points(predicted)], [points(truth)]);
}

/** Mean {@link landmarkError} over images; images where the locator failed (NaN) are counted in `failures` and left out of the mean. */
export function meanLandmarkError(predicted: readonly Float32Array[], truth: readonly Float32Array[]): { error: number; failures: number } {
  if (predicted.length !== truth.length) throw new Error(`meanLandmarkError: ${predicted.length} predictions for ${truth.length} ground truths`);
  let sum = 0;
  let found = 0;
  predicted.forEach((p, i) => {
    const e = landmarkError(p, truth[i]!);
    if (Number.isNaN(e)) return;
    sum += e;
    found++;
  });
  return { error: found > 0 ? sum / found : Number.NaN, failures: predicted.length - found };
}

/** Extras of {@link denseRegSample}: ground truth to carry along (scaled with the image). */
export interface DenseRegSampleExtras {
  /** Integer upsampling factor (default 1): the sample is `scale`·size square. */
  scale?: number;
  /** Per-pixel (u, v) interleaved (HW2), −1 off the face, as @facelab/synth renders it. */
  uv?: Float32Array;
  /** 68 landmarks [x0, y0, …] in the image's pixels. */
  landmarks?: Float32Array;
  name?: string;
}

/**
 * A [0, 1] HWC image (and, optionally, its U-V map and landmarks) as a @facelab/densereg sample of 0–255 pixels,
 * upsampled by an integer `scale` (bilinear image, nearest U-V, half-pixel centres: x' = (x + ½)·scale − ½), so a
 * DenseReg network trained on these samples and {@link denseRegLocator} with the same scale see the same images.
 */
export function denseRegSample(image: Float32Array, size: number, extras: DenseRegSampleExtras = {}): DenseRegSample {
  const scale = extras.scale ?? 1;
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`denseRegSample: scale must be a positive integer, got ${scale}`);
  if (image.length !== size * size * 3) throw new Error(`denseRegSample: the image has ${image.length} values, not ${size}×${size}×3`);
  if (extras.uv && extras.uv.length !== size * size * 2) throw new Error(`denseRegSample: the U-V map has ${extras.uv.length} values, not ${size}×${size}×2`);
  const big = size * scale;
  const out = tf.tidy(() => {
    const resize = (t: tf.Tensor3D, bilinear: boolean) =>
      scale === 1 ? t : bilinear ? tf.image.resizeBilinear(t, [big, big], false, true) : tf.image.resizeNearestNeighbor(t, [big, big], false, true);
    const pixels = tf.mul(resize(tf.tensor3d(image, [size, size, 3]), true), 255);
    const uv = extras.uv ? resize(tf.tensor3d(extras.uv, [size, size, 2]), false) : undefined;
    return { pixels: pixels.dataSync() as Float32Array, uv: uv?.dataSync() as Float32Array | undefined };
  });
  const sample: DenseRegSample = { width: big, height: big, image: out.pixels, name: extras.name };
  if (out.uv) {
    sample.u = Float32Array.from({ length: big * big }, (_, i) => out.uv![2 * i]!);
    sample.v = Float32Array.from({ length: big * big }, (_, i) => out.uv![2 * i + 1]!);
  }
  if (extras.landmarks) sample.landmarks = Float32Array.from(extras.landmarks, (x) => (x + 0.5) * scale - 0.5);
  return sample;
}

/** Options of {@link denseRegLocator}. */
export interface DenseRegLocatorOptions extends DecodeOptions {
  /** A DenseReg network (@facelab/densereg's createDenseRegNet, trained). */
  model: tf.LayersModel;
  /** Its landmark template: 68 (u, v) pairs (@facelab/densereg's estimateLandmarkTemplate). */
  template: Float32Array;
  /** The upsampling factor the network was trained at (default 1; see {@link denseRegSample}). */
  scale?: number;
  /** Images per forward pass (default 16). */
  batchSize?: number;
}

/** A {@link LandmarkLocator} from a DenseReg network: U-V per pixel, then each landmark at the pixel nearest its template (u, v), mapped back to the image's pixels. */
export function denseRegLocator(options: DenseRegLocatorOptions): LandmarkLocator {
  const { model, template, head, bins } = options;
  const scale = options.scale ?? 1;
  if (template.length !== 2 * POINTS) throw new Error(`denseRegLocator: the template must hold 68 (u, v) pairs, got ${template.length / 2}`);
  return (images, size) => {
    const samples = images.map((im) => denseRegSample(im, size, { scale }));
    const maps = predictUV(model, samples, { head, bins, batchSize: options.batchSize ?? 16 });
    return maps.map((m) => landmarksFromUV(m, template).map((x) => (x + 0.5) / scale - 0.5));
  };
}
