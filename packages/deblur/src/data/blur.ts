/**
 * Blur synthesis as the paper makes its 2MF2 training data (Sec. 3 of arXiv 1803.03330): the blurred image is the
 * mean of n consecutive frames, n odd, and the sharp target is the middle frame of those n. Frames are HWC images
 * with values in [0, 1] (floats) or bytes (divided by 255); the mean is accumulated in float64.
 */
import { Rng } from '@facelab/runtime';

/** An image as this package reads it: HWC, `channels` values per pixel; bytes are read as value / 255. */
export interface Frame {
  data: Float32Array | Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** A blurred image, its sharp target, and where they came from. Images are HWC float32 in [0, 1]. */
export interface BlurPair {
  blurred: Float32Array;
  sharp: Float32Array;
  width: number;
  height: number;
  channels: number;
  /** Frames averaged. */
  n: number;
  /** Index (in the clip) of the middle frame, the sharp target. */
  centre: number;
}

/** The odd numbers of frames a blurred image may average: n is drawn uniformly from the odd numbers in [min, max]. */
export interface BlurRange {
  min: number;
  max: number;
}

/** The range the paper's variable blur is drawn from in our reading (7–13 frames, odd). */
export const DEFAULT_BLUR_RANGE: BlurRange = { min: 7, max: 13 };

/**
 * Checks that `n` is an odd positive integer and, when the clip length is known, at most that length. Errors name
 * `what` (the argument or flag) and, for a too-short clip, the clip.
 */
export function checkBlurLength(n: number, clipLength?: number, what = 'n', clip = 'the clip'): number {
  if (!Number.isInteger(n) || n < 1 || n % 2 !== 1) {
    throw new Error(`${what} must be an odd positive integer (the middle frame is the sharp target), got ${n}`);
  }
  if (clipLength !== undefined && n > clipLength) {
    throw new Error(`${what} = ${n} is larger than ${clip}, which has ${clipLength} frame${clipLength === 1 ? '' : 's'}`);
  }
  return n;
}

/** Checks a range of odd frame counts (both ends odd, min ≤ max). */
export function checkBlurRange(range: BlurRange, what = 'blur range'): BlurRange {
  checkBlurLength(range.min, undefined, `${what}: min`);
  checkBlurLength(range.max, undefined, `${what}: max`);
  if (range.min > range.max) throw new Error(`${what}: min ${range.min} is larger than max ${range.max}`);
  return range;
}

/** Parses `7` or `7-13` (odd ends) into a range; errors name `what`. */
export function parseBlurRange(text: string, what = 'n'): BlurRange {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text);
  if (!m) throw new Error(`${what} must be an odd number or a range like 7-13, got '${text}'`);
  const min = Number(m[1]);
  if (m[2] === undefined) return { min: checkBlurLength(min, undefined, what), max: min };
  return checkBlurRange({ min, max: Number(m[2]) }, what);
}

/** Draws n uniformly from the odd numbers in `range` capped at `cap` (the clip length). */
export function drawBlurLength(rng: Rng, range: BlurRange, cap = Infinity): number {
  const max = Math.min(range.max, cap % 2 === 1 || cap === Infinity ? cap : cap - 1);
  const choices = (max - range.min) / 2 + 1;
  return range.min + 2 * rng.int(choices);
}

function sizeOf(f: Frame): string {
  return `${f.width}×${f.height}×${f.channels}`;
}

/** Checks that every frame has frame 0's size and a data length matching it; errors name the frame and `source`. */
export function checkFrames(frames: readonly Frame[], source = 'the clip'): void {
  const first = frames[0];
  if (first === undefined) throw new Error(`${source} has no frames`);
  frames.forEach((f, i) => {
    if (f.width !== first.width || f.height !== first.height || f.channels !== first.channels) {
      throw new Error(`frame ${i} of ${source} is ${sizeOf(f)}, frame 0 is ${sizeOf(first)}: all frames must have the same size`);
    }
    if (f.data.length !== f.width * f.height * f.channels) {
      throw new Error(`frame ${i} of ${source} has ${f.data.length} values for ${sizeOf(f)}`);
    }
  });
}

/** A frame's values as float32 in [0, 1] (bytes / 255; floats copied). */
export function frameToFloat(frame: Frame): Float32Array {
  if (frame.data instanceof Float32Array) return Float32Array.from(frame.data);
  const out = new Float32Array(frame.data.length);
  for (let k = 0; k < out.length; k++) out[k] = frame.data[k]! / 255;
  return out;
}

/**
 * The mean of frames[start .. start + n): float64 accumulation, float32 result in [0, 1]. The frames must have the
 * same size (checked).
 */
export function averageFrames(frames: readonly Frame[], start = 0, n = frames.length, source = 'the clip'): Float32Array {
  checkBlurLength(n, frames.length - start, 'n', source);
  const window = frames.slice(start, start + n);
  checkFrames(window, source);
  const len = window[0]!.data.length;
  const acc = new Float64Array(len);
  for (const f of window) {
    const s = f.data instanceof Float32Array ? 1 : 1 / 255;
    for (let k = 0; k < len; k++) acc[k]! += f.data[k]! * s;
  }
  const out = new Float32Array(len);
  for (let k = 0; k < len; k++) out[k] = acc[k]! / n;
  return out;
}

/** The pair of n frames centred on `centre`: their mean and the middle frame. */
export function blurPairAt(frames: readonly Frame[], centre: number, n: number, source = 'the clip'): BlurPair {
  checkBlurLength(n, frames.length, 'n', source);
  const half = (n - 1) / 2;
  if (!Number.isInteger(centre) || centre - half < 0 || centre + half >= frames.length) {
    throw new Error(`centre ${centre} with n = ${n} needs frames ${centre - half}..${centre + half}, ${source} has 0..${frames.length - 1}`);
  }
  const mid = frames[centre]!;
  return {
    blurred: averageFrames(frames, centre - half, n, source),
    sharp: frameToFloat(mid),
    width: mid.width,
    height: mid.height,
    channels: mid.channels,
    n,
    centre,
  };
}

/** Options of {@link blurPairs}. */
export interface BlurPairsOptions {
  /** Odd frame counts to draw n from (default {@link DEFAULT_BLUR_RANGE}); a fixed n is `{ min: n, max: n }`. */
  range?: BlurRange;
  /** Frames between consecutive pair centres (default 1: a pair centred on every frame that can be one). */
  stride?: number;
  /** Seed of the draws of n (default 0). */
  seed?: number;
  /** The name of the frame source in error messages (default 'the clip'). */
  source?: string;
}

/**
 * Streams (blurred, sharp) pairs from a clip's frames, holding at most `range.max` frames: one pair every `stride`
 * frames, each averaging a freshly drawn odd n ∈ range centred on its sharp frame. A clip shorter than `range.max`
 * (but at least `range.min`) gives pairs with n capped at its length; a clip shorter than `range.min` is an error
 * naming `range.min` and the clip. Frames of different sizes are an error naming the frame.
 */
export async function* blurPairs(frames: AsyncIterable<Frame> | Iterable<Frame>, options: BlurPairsOptions = {}): AsyncGenerator<BlurPair> {
  const range = checkBlurRange(options.range ?? DEFAULT_BLUR_RANGE, 'n');
  const stride = options.stride ?? 1;
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`stride must be a positive integer, got ${stride}`);
  const source = options.source ?? 'the clip';
  const rng = new Rng(options.seed ?? 0);
  const span = range.max;
  const half = (span - 1) / 2;
  const buffer: Frame[] = [];
  let first: Frame | undefined;
  let seen = 0;
  let next = half; // the next centre to emit
  for await (const f of frames) {
    first ??= f;
    if (f.data.length !== f.width * f.height * f.channels) {
      throw new Error(`frame ${seen} of ${source} has ${f.data.length} values for ${sizeOf(f)}`);
    }
    if (seen > 0 && (f.width !== first.width || f.height !== first.height || f.channels !== first.channels)) {
      throw new Error(`frame ${seen} of ${source} is ${sizeOf(f)}, frame 0 is ${sizeOf(first)}: all frames must have the same size`);
    }
    buffer.push(f);
    seen++;
    if (buffer.length > span) buffer.shift();
    // buffer holds frames seen − span .. seen − 1; its middle is frame seen − 1 − half.
    if (buffer.length === span && seen - 1 - half === next) {
      const n = drawBlurLength(rng, range);
      const pair = blurPairAt(buffer, half, n, source);
      yield { ...pair, centre: next };
      next += stride;
    }
  }
  if (seen < span) {
    checkBlurLength(range.min, seen, range.min === range.max ? 'n' : `n (at least ${range.min})`, source);
    const cap = seen % 2 === 1 ? seen : seen - 1;
    for (let c = (cap - 1) / 2; c + (cap - 1) / 2 < seen; c += stride) {
      const n = drawBlurLength(rng, range, Math.min(cap, 2 * Math.min(c, seen - 1 - c) + 1));
      yield blurPairAt(buffer, c, n, source);
    }
  }
}

/**
 * The convolution of an HWC image with an n-tap comb kernel whose taps are `step` = [dx, dy] pixels apart and
 * centred on the pixel: out(p) = (1/n) Σₖ image(p − k·step), k = −(n−1)/2 … (n−1)/2, taps outside the image
 * counting as 0. For a pattern translating by `step` pixels per frame, this is the mean of the n frames centred on
 * the frame given, away from the borders (a box filter for a step of 1 pixel).
 */
export function combBlur(image: Frame, n: number, step: readonly [number, number]): Float32Array {
  checkBlurLength(n);
  const { width: w, height: h, channels: c } = image;
  const src = frameToFloat(image);
  const out = new Float32Array(src.length);
  const half = (n - 1) / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let k = -half; k <= half; k++) {
          const xs = x - k * step[0];
          const ys = y - k * step[1];
          if (xs >= 0 && xs < w && ys >= 0 && ys < h) s += src[(ys * w + xs) * c + ch]!;
        }
        out[(y * w + x) * c + ch] = s / n;
      }
    }
  }
  return out;
}
