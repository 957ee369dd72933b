/**
 * AFEW-style class folders: `<root>/<Emotion>/<clip>` with the 7 classes Angry, Disgust, Fear, Happy,
 * Neutral, Sad, Surprise; a clip is a folder of frames or a video file. Labels index {@link AFEW_CLASSES}.
 * Read with {@link listAfewClips}, written (as videos) with {@link writeAfewClips}.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { listClassFolders, writeVideo, type RawImage } from '@facelab/data';

/** AFEW's 7 classes, in label order. */
export const AFEW_CLASSES = ['Angry', 'Disgust', 'Fear', 'Happy', 'Neutral', 'Sad', 'Surprise'] as const;

/** One of AFEW's class names. */
export type AfewClass = (typeof AFEW_CLASSES)[number];

/** One clip with its class. */
export interface AfewClip {
  path: string;
  label: number;
  className: AfewClass;
}

/** Lists the clips of an AFEW-style root; an unknown class folder is an error naming it. */
export async function listAfewClips(root: string, entries: 'dirs' | 'files' = 'dirs'): Promise<AfewClip[]> {
  const { classes, items } = await listClassFolders(root, { entries });
  const unknown = classes.filter((c) => !(AFEW_CLASSES as readonly string[]).includes(c));
  if (unknown.length > 0) throw new Error(`${root}: unknown class folder(s) ${unknown.join(', ')}: expected ${AFEW_CLASSES.join(', ')}`);
  if (items.length === 0) throw new Error(`${root}: no clips`);
  return items.map((it) => {
    const className = it.className as AfewClass;
    return { path: it.path, label: AFEW_CLASSES.indexOf(className), className };
  });
}

/** One clip to write in the AFEW layout: its class and its 8-bit frames. */
export interface AfewClipFrames {
  className: AfewClass;
  frames: readonly RawImage[];
}

/** Options of {@link writeAfewClips}. */
export interface WriteAfewClipsOptions {
  /** Frame rate (default 25). */
  fps?: number;
  /** Container (default 'mp4'; AFEW ships .avi, which the readers decode the same way through ffmpeg). */
  format?: 'mp4' | 'gif';
}

/**
 * Writes clips as videos `<root>/<Class>/<000001>.mp4`, numbered in the order they arrive, the layout
 * {@link listAfewClips} reads. Returns the clip paths.
 */
export async function writeAfewClips(
  root: string,
  clips: Iterable<AfewClipFrames> | AsyncIterable<AfewClipFrames>,
  options: WriteAfewClipsOptions = {},
): Promise<string[]> {
  const written: string[] = [];
  for await (const clip of clips) {
    if (!(AFEW_CLASSES as readonly string[]).includes(clip.className)) {
      throw new Error(`writeAfewClips: unknown class '${clip.className}': expected ${AFEW_CLASSES.join(', ')}`);
    }
    await mkdir(join(root, clip.className), { recursive: true });
    const path = join(root, clip.className, `${String(written.length + 1).padStart(6, '0')}.${options.format ?? 'mp4'}`);
    await writeVideo(path, clip.frames, { fps: options.fps ?? 25 });
    written.push(path);
  }
  return written;
}
