/**
 * Still images: decode/encode through sharp (libvips, prebuilt in its npm package); the tensor-side operations
 * that need no Node (raw ↔ tensor, resize, crop, grid) are in raster.ts.
 */
import { extname } from 'node:path';
import sharp from 'sharp';
import { tf } from '@facelab/core-tensor';
import { writeFileAtomic, messageOf } from '@facelab/runtime';
import { checkRaw, rawToTensor, tensorToRaw, type ImageDtype, type RawImage } from './raster.js';


/**
 * Default cap on the pixels (width × height) of an image or video frame decoded: 2^26 (8192 × 8192), so a small
 * compressed file (a "decompression bomb") cannot make a gigabyte tensor.
 */
export const DEFAULT_MAX_PIXELS = 2 ** 26;

/** Raster formats (as sharp names them) decoded by default; vector formats (SVG, PDF) need `allowVector`. */
const RASTER_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif', 'jp2', 'jxl', 'raw']);

/** Limits of {@link decodeImage} and {@link readImage} on what an input may decode to. */
export interface DecodeLimits {
  /** Most pixels (width × height) an image may have (default {@link DEFAULT_MAX_PIXELS}; `Infinity`: no cap). */
  maxPixels?: number;
  /** Also decode vector formats (SVG, PDF), which render at any size (default false: raster formats only). */
  allowVector?: boolean;
}

/** Options of {@link readImage}. */
export interface ReadImageOptions extends DecodeLimits {
  /** 'uint8' (int32 tensor, 0..255, the default) or 'float32' (values in [0, 1]). */
  dtype?: ImageDtype;
  /** Force 1 (grey), 3 (RGB) or 4 (RGBA) channels; by default the file's own (grey+alpha is read as RGBA). */
  channels?: 1 | 3 | 4;
}

/** `maxPixels` checked: a positive integer or Infinity (an error naming `where` otherwise). */
export function checkMaxPixels(maxPixels: number, where: string): number {
  if (!(maxPixels === Infinity || (Number.isInteger(maxPixels) && maxPixels > 0))) {
    throw new Error(`${where}: maxPixels must be a positive integer or Infinity, got ${maxPixels}`);
  }
  return maxPixels;
}

/**
 * Decodes an image file (or its bytes) into interleaved 8-bit pixels. Only raster formats are decoded unless
 * `limits.allowVector`, and an image of more than `limits.maxPixels` pixels (default {@link DEFAULT_MAX_PIXELS})
 * is an error naming the file, before its pixels are decoded.
 */
export async function decodeImage(source: string | Uint8Array, channels?: 1 | 3 | 4, limits: DecodeLimits = {}): Promise<RawImage> {
  const name = typeof source === 'string' ? source : `<${source.length} bytes>`;
  const maxPixels = checkMaxPixels(limits.maxPixels ?? DEFAULT_MAX_PIXELS, 'readImage');
  let meta: sharp.Metadata;
  try {
    // The header alone (no pixels decoded), so the checks below can name the format and size.
    meta = await sharp(source, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch (err) {
    throw new Error(`readImage: cannot decode ${name}: ${messageOf(err)}`, { cause: err });
  }
  if (!limits.allowVector && !RASTER_FORMATS.has(meta.format ?? '')) {
    throw new Error(`readImage: ${name} is ${meta.format ?? 'of an unknown format'}, not a raster image (pass allowVector to render vector images)`);
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > maxPixels) {
    throw new Error(`readImage: ${name} is ${meta.width}×${meta.height} = ${pixels} pixels, more than maxPixels ${maxPixels}`);
  }
  try {
    // sharp's own cap (false = none) also guards decoders whose header understates the pixels they produce.
    let pipeline = sharp(source, { failOn: 'error', limitInputPixels: maxPixels === Infinity ? false : maxPixels });
    // libvips outputs grey as sRGB unless asked; keep the file's own channel count (grey+alpha → RGBA).
    channels ??= meta.channels === 1 ? 1 : meta.hasAlpha ? 4 : 3;
    if (channels === 1) pipeline = pipeline.toColourspace('b-w');
    else if (channels === 3) pipeline = pipeline.removeAlpha().toColourspace('srgb');
    else if (channels === 4) pipeline = pipeline.ensureAlpha().toColourspace('srgb');
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width: info.width,
      height: info.height,
      channels: info.channels,
    };
  } catch (err) {
    throw new Error(`readImage: cannot decode ${name}: ${messageOf(err)}`, { cause: err });
  }
}

/** Reads a PNG/JPEG/WebP/… file or buffer into a Tensor3D [h, w, c]. */
export async function readImage(source: string | Uint8Array, options: ReadImageOptions = {}): Promise<tf.Tensor3D> {
  const raw = await decodeImage(source, options.channels, options);
  return rawToTensor(raw, options.dtype ?? 'uint8');
}

/** Output formats of {@link encodeImage}. */
export type ImageFormat = 'png' | 'jpeg';

/** Options of {@link encodeImage} and {@link writeImage}. */
export interface EncodeImageOptions {
  /** JPEG quality 1–100 (default 90). */
  quality?: number;
}

/** Encodes a tensor or raw image as PNG (lossless) or JPEG bytes. */
export async function encodeImage(
  image: tf.Tensor3D | RawImage,
  format: ImageFormat,
  options: EncodeImageOptions = {},
): Promise<Uint8Array> {
  const raw = image instanceof tf.Tensor ? tensorToRaw(image) : image;
  checkRaw(raw, 'encodeImage');
  let input = sharp(raw.data, {
    raw: { width: raw.width, height: raw.height, channels: raw.channels as 1 | 2 | 3 | 4 },
  });
  // Without this libvips stores grey pixels as RGB.
  if (raw.channels <= 2) input = input.toColourspace('b-w');
  const out =
    format === 'png'
      ? input.png({ compressionLevel: 6 })
      : input.jpeg({ quality: options.quality ?? 90, chromaSubsampling: '4:4:4' });
  return new Uint8Array(await out.toBuffer());
}

/** The image format a file extension names, or an error listing the ones supported. */
export function imageFormatOf(path: string): ImageFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.png') return 'png';
  if (ext === '.jpg' || ext === '.jpeg') return 'jpeg';
  throw new Error(`writeImage: cannot tell the format of '${path}': use .png, .jpg or .jpeg`);
}

/** Writes an image to `path` (PNG or JPEG by extension), atomically. */
export async function writeImage(
  path: string,
  image: tf.Tensor3D | RawImage,
  options: EncodeImageOptions = {},
): Promise<void> {
  const bytes = await encodeImage(image, imageFormatOf(path), options);
  await writeFileAtomic(path, bytes);
}
