/**
 * Any video as a source of blur pairs: frames decoded by @facelab/data's ffmpeg reader, a face crop per frame (a
 * fixed box or one box per frame), optionally resized, then averaged by {@link blurPairs}. Streaming: at most the
 * largest n frames are held.
 */
import { tf } from '@facelab/core-tensor';
import { Dataset, cropToBox, rawToTensor, readVideoFrames, resizeImage, tensorToRaw, type PixelBox, type VideoFrame } from '@facelab/data';
import { blurPairs, type BlurPair, type BlurPairsOptions, type Frame } from './blur.js';

/** Options of {@link readClipFrames}. */
export interface ReadClipOptions {
  /** The face box of every frame (pixels of the decoded frame); default: the whole frame. */
  box?: PixelBox;
  /** One face box per frame (frame i uses boxes[i]); overrides `box`. A video longer than the list is an error. */
  boxes?: readonly PixelBox[];
  /** Resize each crop to size × size (bilinear). */
  size?: number;
  /** The ffmpeg binary (default: @facelab/data's, env.ffmpeg). */
  ffmpeg?: string;
}

/** The first line of an error's message (ffmpeg's stderr can span lines). */
function firstLine(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? m;
}

/**
 * Decodes `path` frame by frame and crops/resizes each: bytes HWC RGB. An unreadable or missing video is an error
 * naming the file.
 */
export async function* readClipFrames(path: string, options: ReadClipOptions = {}): AsyncGenerator<Frame> {
  const { box, boxes, size } = options;
  let index = 0;
  let frames: AsyncGenerator<VideoFrame>;
  try {
    frames = readVideoFrames(path, { ffmpeg: options.ffmpeg });
  } catch (err) {
    throw new Error(`cannot read the video ${path}: ${firstLine(err)}`, { cause: err });
  }
  while (true) {
    let next: IteratorResult<VideoFrame>;
    try {
      next = await frames.next();
    } catch (err) {
      throw new Error(`cannot read the video ${path}: ${firstLine(err)}`, { cause: err });
    }
    if (next.done) break;
    const raw = next.value;
    const b = boxes ? boxes[index] : box;
    if (boxes && b === undefined) throw new Error(`${path} has more frames than face boxes (${boxes.length})`);
    if (b === undefined && size === undefined) {
      yield raw;
    } else {
      const out = tf.tidy(() => {
        let img = rawToTensor({ data: raw.data, width: raw.width, height: raw.height, channels: raw.channels });
        if (b !== undefined) img = cropToBox(img, b);
        if (size !== undefined) img = resizeImage(img, { width: size, height: size });
        return img;
      });
      const r = tensorToRaw(out);
      out.dispose();
      yield r;
    }
    index++;
  }
  if (index === 0) throw new Error(`cannot read the video ${path}: it has no frames`);
}

/**
 * A Dataset of (blurred, sharp) pairs from a video: the paper's frame averaging ({@link blurPairs}) over the face
 * crops of {@link readClipFrames}. Errors name the video.
 */
export function videoBlurPairs(path: string, options: ReadClipOptions & BlurPairsOptions = {}): Dataset<BlurPair> {
  return Dataset.fromGenerator(() => blurPairs(readClipFrames(path, options), { ...options, source: options.source ?? path }));
}
