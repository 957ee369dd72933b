/** Square face crops with a margin (AffWildNet's 96², End2You's crops): box → square box → resized crop. */
import { tf } from '@facelab/core-tensor';
import type { PixelBox } from '@facelab/data';

/** Options of {@link squareFaceBox} and {@link cropFace}. */
export interface SquareCropOptions {
  /** Extra side added around the face, as a fraction of the box's longer side (default 0.25: side × 1.25). */
  margin?: number;
  /** Output side in pixels for {@link cropFace} (default 96). */
  size?: number;
}

function checkBox(box: readonly number[], where: string): void {
  if (box.length !== 4 || !box.every(Number.isFinite) || !(box[2]! > 0 && box[3]! > 0)) {
    throw new Error(`${where}: box must be [x, y, width, height] with positive size, got ${JSON.stringify(box)}`);
  }
}

/** The square box centred on `box` ([x, y, width, height]) with side max(width, height) · (1 + margin). */
export function squareFaceBox(box: readonly number[], options: SquareCropOptions = {}): PixelBox {
  checkBox(box, 'squareFaceBox');
  const margin = options.margin ?? 0.25;
  if (!(margin >= 0 && Number.isFinite(margin))) throw new Error(`squareFaceBox: margin must be a finite number ≥ 0, got ${margin}`);
  const side = Math.max(box[2]!, box[3]!) * (1 + margin);
  const cx = box[0]! + box[2]! / 2;
  const cy = box[1]! + box[3]! / 2;
  return { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
}

/**
 * The square crop around `box` (see {@link squareFaceBox}) resized to `size` × `size` by bilinear sampling;
 * outside the image is 0. Keeps the image's dtype (int32 rounded) and channels.
 */
export function cropFace(image: tf.Tensor3D, box: readonly number[], options: SquareCropOptions = {}): tf.Tensor3D {
  if (image.rank !== 3) throw new Error(`cropFace: image must be [height, width, channels], got [${image.shape}]`);
  const size = options.size ?? 96;
  if (!Number.isInteger(size) || size < 1) throw new Error(`cropFace: size must be a positive integer, got ${size}`);
  const sq = squareFaceBox(box, options);
  const [H, W] = image.shape;
  // crop_and_resize samples y1 + i·(y2 − y1)/(size − 1)·(H − 1) for normalised y; pixel centres of the square's
  // first and last output pixels map to its edges' half-pixel insets.
  const step = sq.width / size;
  const x0 = sq.x + step / 2 - 0.5;
  const y0 = sq.y + step / 2 - 0.5;
  const x1 = x0 + step * (size - 1);
  const y1 = y0 + step * (size - 1);
  const normBox = [y0 / Math.max(H - 1, 1), x0 / Math.max(W - 1, 1), y1 / Math.max(H - 1, 1), x1 / Math.max(W - 1, 1)];
  return tf.tidy(() => {
    const batch = tf.expandDims(tf.cast(image, 'float32'), 0) as tf.Tensor4D;
    const out = tf.squeeze(tf.image.cropAndResize(batch, [normBox], [0], [size, size], 'bilinear', 0), [0]) as tf.Tensor3D;
    return image.dtype === 'int32' ? (tf.cast(tf.round(out), 'int32') as tf.Tensor3D) : out;
  });
}
