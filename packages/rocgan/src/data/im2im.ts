/**
 * The reference's im2im files (`type_corr: im2im` in `denoising_db.py`): one image with the input stacked above
 * the target, each half H×W. Reader and writer.
 */
import { decodeImage, encodeImage, type RawImage } from '@facelab/data';
import { writeFileAtomic } from '@facelab/runtime';

/** An (input, target) pair of 8-bit RGB images of equal size. */
export interface ImagePair {
  input: RawImage;
  target: RawImage;
}

/** Splits a stacked im2im image (input on top) into its halves; `name` goes into errors. */
export function splitIm2im(stacked: RawImage, name = '<image>'): ImagePair {
  const { width: w, height: h, channels: c } = stacked;
  if (h % 2 !== 0) throw new Error(`${name}: an im2im image stacks input above target, so its height must be even; got ${w}×${h}`);
  const half = (h / 2) * w * c;
  const part = (k: number): RawImage => ({ data: stacked.data.slice(k * half, (k + 1) * half), width: w, height: h / 2, channels: c });
  return { input: part(0), target: part(1) };
}

/** Reads an im2im PNG/JPEG: the top half is the input, the bottom half the target (RGB). */
export async function readIm2im(path: string): Promise<ImagePair> {
  return splitIm2im(await decodeImage(path, 3), path);
}

/** Stacks input above target into one image (both must be the same size and channel count). */
export function stackIm2im(pair: ImagePair): RawImage {
  const { input: a, target: b } = pair;
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) {
    throw new Error(`stackIm2im: input is ${a.width}×${a.height}×${a.channels}, target ${b.width}×${b.height}×${b.channels}`);
  }
  const data = new Uint8Array(a.data.length * 2);
  data.set(a.data, 0);
  data.set(b.data, a.data.length);
  return { data, width: a.width, height: a.height * 2, channels: a.channels };
}

/** Writes an im2im PNG (input above target), atomically. */
export async function writeIm2im(path: string, pair: ImagePair): Promise<void> {
  await writeFileAtomic(path, await encodeImage(stackIm2im(pair), 'png'));
}
