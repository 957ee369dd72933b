/**
 * Images as tensors, with no Node built-in (also in the browser build): Tensor3D [height, width, channels];
 * 'uint8' images are int32 tensors holding 0..255 (tfjs has no uint8 dtype), 'float32' images hold [0, 1].
 * Raw ↔ tensor, resize, crop and grid.
 */
import { tf } from '@facelab/core-tensor';

/** Interleaved 8-bit pixels, row-major: `data.length === width * height * channels`. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** Pixel type of a decoded image: int32 0..255 or float32 in [0, 1]. */
export type ImageDtype = 'uint8' | 'float32';

/** Wraps interleaved pixels as a Tensor3D ('uint8' → int32 0..255, 'float32' → [0, 1]). */
export function rawToTensor(raw: RawImage, dtype: ImageDtype = 'uint8'): tf.Tensor3D {
  checkRaw(raw, 'rawToTensor');
  const shape: [number, number, number] = [raw.height, raw.width, raw.channels];
  if (dtype === 'uint8') return tf.tensor3d(Int32Array.from(raw.data), shape, 'int32');
  const f = new Float32Array(raw.data.length);
  for (let i = 0; i < f.length; i++) f[i] = raw.data[i]! / 255;
  return tf.tensor3d(f, shape, 'float32');
}

/**
 * Converts a Tensor3D image to 8-bit pixels: float32 tensors are read as [0, 1] and scaled by 255, int32
 * tensors as 0..255; both are rounded and clipped.
 */
export function tensorToRaw(image: tf.Tensor3D): RawImage {
  if (image.rank !== 3) throw new Error(`tensorToRaw: expected a Tensor3D [h, w, c], got shape [${image.shape}]`);
  const [height, width, channels] = image.shape;
  if (channels < 1 || channels > 4) throw new Error(`tensorToRaw: expected 1–4 channels, got ${channels}`);
  const values = image.dataSync();
  const scale = image.dtype === 'float32' ? 255 : 1;
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(values[i]! * scale);
    data[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return { data, width, height, channels };
}

/** Throws, naming `where`, when a raw image's size and bytes disagree or it has not 1–4 channels. */
export function checkRaw(raw: RawImage, where: string): void {
  const { width, height, channels, data } = raw;
  if (!(width > 0 && height > 0 && channels >= 1 && channels <= 4) || data.length !== width * height * channels) {
    throw new Error(
      `${where}: raw image ${width}×${height}×${channels} does not match its ${data.length} bytes ` +
        '(need width·height·channels, 1–4 channels)',
    );
  }
}

/** Size of an image: `{ width, height }`. */
export interface ImageSize {
  width: number;
  height: number;
}

/**
 * Resizes with bilinear interpolation (half-pixel centres, as OpenCV/PIL); keeps the dtype (int32 images are
 * rounded back to 0..255). No antialiasing: for large reductions, resize in steps of at most 2×.
 */
export function resizeImage(image: tf.Tensor3D, size: ImageSize): tf.Tensor3D {
  checkSize(size, 'resizeImage');
  return tf.tidy(() => {
    const out = tf.image.resizeBilinear(image, [size.height, size.width], false, true);
    return image.dtype === 'int32' ? (tf.round(out).clipByValue(0, 255).toInt() as tf.Tensor3D) : out;
  });
}

function checkSize(size: ImageSize, where: string): void {
  if (!(Number.isInteger(size.width) && Number.isInteger(size.height) && size.width > 0 && size.height > 0)) {
    throw new Error(`${where}: size must be positive integers, got ${size.width}×${size.height}`);
  }
}

/** An axis-aligned pixel box: top-left corner and size. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Crops a box (rounded to whole pixels) out of an image; the parts of the box outside the image are filled
 * with `fill` (default 0), so the output is always box.height × box.width.
 */
export function cropToBox(image: tf.Tensor3D, box: PixelBox, fill = 0): tf.Tensor3D {
  const x = Math.round(box.x);
  const y = Math.round(box.y);
  const w = Math.round(box.width);
  const h = Math.round(box.height);
  checkSize({ width: w, height: h }, 'cropToBox');
  const [H, W] = image.shape;
  return tf.tidy(() => {
    const x0 = Math.max(0, x);
    const y0 = Math.max(0, y);
    const x1 = Math.min(W, x + w);
    const y1 = Math.min(H, y + h);
    if (x1 <= x0 || y1 <= y0) return tf.fill([h, w, image.shape[2]], fill, image.dtype) as tf.Tensor3D;
    const inside = tf.slice(image, [y0, x0, 0], [y1 - y0, x1 - x0, -1]);
    const pads: [number, number][] = [
      [y0 - y, y + h - y1],
      [x0 - x, x + w - x1],
      [0, 0],
    ];
    return tf.pad(inside, pads, fill);
  });
}

/** Options of {@link imageGrid}. */
export interface ImageGridOptions {
  /** Images per row (default: ceil(sqrt(n))). */
  cols?: number;
  /** Pixels between and around tiles (default 2). */
  pad?: number;
  /** Value of the padding, in the images' scale (default: white, 255 or 1.0). */
  background?: number;
}

/**
 * Tiles same-sized images into one image (row-major) for figures; write it with writeImage (Node).
 * Grey images are broadcast to the widest channel count among the inputs.
 */
export function imageGrid(images: tf.Tensor3D[], options: ImageGridOptions = {}): tf.Tensor3D {
  if (images.length === 0) throw new Error('imageGrid: no images');
  const [h, w] = images[0]!.shape;
  const dtype = images[0]!.dtype;
  images.forEach((im, i) => {
    if (im.shape[0] !== h || im.shape[1] !== w || im.dtype !== dtype) {
      throw new Error(
        `imageGrid: image ${i} is [${im.shape}] ${im.dtype}, expected ${h}×${w} ${dtype} like image 0`,
      );
    }
  });
  const c = Math.max(...images.map((im) => im.shape[2]));
  images.forEach((im, i) => {
    if (im.shape[2] !== c && im.shape[2] !== 1) {
      throw new Error(`imageGrid: image ${i} has ${im.shape[2]} channels; mix only ${c}-channel and grey images`);
    }
  });
  const cols = options.cols ?? Math.ceil(Math.sqrt(images.length));
  const pad = options.pad ?? 2;
  const bg = options.background ?? (dtype === 'float32' ? 1 : 255);
  const rows = Math.ceil(images.length / cols);
  return tf.tidy(() => {
    const tile = (im: tf.Tensor3D | undefined): tf.Tensor3D => {
      const full = im === undefined ? tf.fill([h, w, c], bg, dtype) : im.shape[2] === c ? im : tf.tile(im, [1, 1, c]);
      return tf.pad(full as tf.Tensor3D, [[pad, 0], [pad, 0], [0, 0]], bg);
    };
    const rowTensors: tf.Tensor3D[] = [];
    for (let r = 0; r < rows; r++) {
      const row = Array.from({ length: cols }, (_, k) => tile(images[r * cols + k]));
      rowTensors.push(tf.concat(row, 1));
    }
    return tf.pad(tf.concat(rowTensors, 0), [[0, pad], [0, pad], [0, 0]], bg);
  });
}
