/**
 * The Aff-Wild database layout: one folder of frame images per video, `<root>/frames/<video>/*.{png,jpg}`
 * (sorted by name), and per-frame annotation files with one value per line,
 * `<root>/annotations/valence/<video>.txt` and `<root>/annotations/arousal/<video>.txt`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseAffect } from './checks.js';
import type { AffWildSequence } from './released.js';

const IMAGE_EXTS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.webp']);

async function readValues(file: string): Promise<number[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read annotation file: ${(err as Error).message}`, { cause: err });
  }
  const values: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    values.push(parseAffect(line.trim(), file, i + 1, 'value'));
  });
  return values;
}

async function listFrames(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new Error(`${dir}: cannot read frame folder: ${(err as Error).message}`, { cause: err });
  }
  return names.filter((n) => IMAGE_EXTS.has(extname(n).toLowerCase())).sort().map((n) => join(dir, n));
}

/**
 * Reads every video of an Aff-Wild folder as one whole-video sequence (cut it with `splitSequence`).
 * A video whose frame count differs from an annotation file's line count is an error naming both.
 */
export async function readAffWildFolder(root: string): Promise<{ video: string; sequence: AffWildSequence }[]> {
  const framesRoot = join(root, 'frames');
  let videos: string[];
  try {
    videos = (await readdir(framesRoot, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch (err) {
    throw new Error(`${framesRoot}: cannot read the frames folder: ${(err as Error).message}`, { cause: err });
  }
  const out: { video: string; sequence: AffWildSequence }[] = [];
  for (const video of videos) {
    const paths = await listFrames(join(framesRoot, video));
    const vFile = join(root, 'annotations', 'valence', `${video}.txt`);
    const aFile = join(root, 'annotations', 'arousal', `${video}.txt`);
    // Both files are read before either error is reported, so a video missing both names valence's file,
    // whichever read fails first.
    const [vRead, aRead] = await Promise.allSettled([readValues(vFile), readValues(aFile)]);
    if (vRead.status === 'rejected') throw vRead.reason;
    if (aRead.status === 'rejected') throw aRead.reason;
    const [valence, arousal] = [vRead.value, aRead.value];
    for (const [file, values] of [[vFile, valence], [aFile, arousal]] as const) {
      if (values.length !== paths.length) {
        throw new Error(`${file}: ${values.length} annotated frames but video '${video}' has ${paths.length} frames`);
      }
    }
    out.push({
      video,
      sequence: {
        paths,
        labels: paths.map((_, i) => [valence[i]!, arousal[i]!]),
        mask: paths.map(() => 1),
        sources: paths.map((_, i) => `${vFile}:${i + 1}`),
      },
    });
  }
  return out;
}
