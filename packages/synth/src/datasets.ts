/**
 * Synthetic datasets on disk in generic layouts, written with @facelab/data's writers, so readers are tested
 * against files: LFW (identity folders + pairs.txt), 300-W (images + .pts), clips as videos with per-frame
 * labels, and blurred/sharp image pairs for deblurring. Paper-specific formats (Aff-Wild's CSV, AFEW's class
 * folders) are written by their paper package's data module, from clips rendered here.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { checkPositiveInt, writeCsv, Rng, mixSeed } from '@facelab/runtime';
import {
  writeImage,
  writeVideo,
  lfwImagePath,
  writePairs,
  type LfwPairSpec,
  writePts,
} from '@facelab/data';
import { SYNTH_EMOTIONS } from './emotions.js';
import { motionBlurParams, renderClip, renderMotionBlur } from './clip.js';
import type { SynthFace } from './render.js';
import { sampleFaceParams, synthFace } from './sample.js';
import type { SynthStyle } from './style.js';

/** Options every dataset writer takes. */
export interface SynthDatasetOptions {
  /** Output folder (created). */
  out: string;
  /** Image size (default 96). */
  size?: number;
  /** Dataset seed (default 0). */
  seed?: number;
  /** Rendering style (default 'studio'). */
  style?: SynthStyle;
  /** Called after each written item with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** Video containers the dataset writers produce (through the data module's writeVideo). */
export type SynthVideoFormat = 'mp4' | 'gif';

const raw = (f: SynthFace) => ({ data: f.image, width: f.size, height: f.size, channels: 3 });
const pad = (i: number, n: number) => String(i).padStart(n, '0');

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** Options of {@link writeLfwDataset}. */
export interface LfwOptions extends SynthDatasetOptions {
  /** Number of identities (default 10). */
  identities?: number;
  /** Images per identity (default 4, at least 2 for same-identity pairs). */
  imagesPerIdentity?: number;
  /** Folds of pairs (default 1: a View-1-style header `n`). */
  folds?: number;
  /** Same (and as many different) pairs per fold (default 10). */
  pairsPerFold?: number;
}

/** The LFW-style name of synthetic identity `id`. */
export function synthIdentityName(id: number): string {
  return `Synth_${pad(id, 5)}`;
}

/**
 * LFW layout: `lfw/<name>/<name>_0001.jpg` (same person in varying pose, expression and light) and
 * `pairs.txt` with same- and different-identity pairs, each pair once in the file (too many pairs for the
 * identities and images is an error). Returns the pairs.txt path.
 */
export async function writeLfwDataset(o: LfwOptions): Promise<string> {
  const ids = checkPositiveInt(o.identities ?? 10, 'identities');
  const per = checkPositiveInt(o.imagesPerIdentity ?? 4, 'imagesPerIdentity');
  if (per < 2 || ids < 2) throw new Error(`LFW pairs need at least 2 identities with 2 images each, got ${ids} × ${per}`);
  const folds = checkPositiveInt(o.folds ?? 1, 'folds');
  const perFold = checkPositiveInt(o.pairsPerFold ?? 10, 'pairsPerFold');
  // Every pair appears once in the whole file (as LFW's): there must be enough distinct ones to draw from.
  // Different-identity pairs, C(ids, 2)·per², always outnumber same-identity ones, ids·C(per, 2).
  const pairs = folds * perFold;
  const sameCapacity = (ids * per * (per - 1)) / 2;
  if (pairs > sameCapacity) {
    throw new Error(`${folds} folds × pairsPerFold ${perFold} need ${pairs} distinct same-identity pairs, but ${ids} identities × ${per} images have ${sameCapacity}`);
  }
  const seed = o.seed ?? 0;
  for (let id = 0; id < ids; id++) {
    const name = synthIdentityName(id);
    await mkdir(join(o.out, 'lfw', name), { recursive: true });
    for (let i = 1; i <= per; i++) {
      const f = synthFace(mixSeed(seed, id, i), { size: o.size, style: o.style, identity: id, identitySeed: seed });
      await writeImage(join(o.out, 'lfw', lfwImagePath(name, i)), raw(f));
      o.onProgress?.(id * per + i, ids * per);
    }
  }
  const rng = new Rng(mixSeed(seed, 0x1f));
  const pick = () => 1 + rng.int(per);
  const seen = new Set<string>();
  /** Draws until the pair (unordered) is new to the file; `draw` returns both images. */
  const distinct = (draw: () => LfwPairSpec): LfwPairSpec => {
    for (;;) {
      const p = draw();
      const [x, y] = [`${p.a.name}/${p.a.index}`, `${p.b.name}/${p.b.index}`].sort();
      if (!seen.has(`${x}|${y}`)) {
        seen.add(`${x}|${y}`);
        return p;
      }
    }
  };
  const sameDraw = (): LfwPairSpec => {
    const name = synthIdentityName(rng.int(ids));
    const i = pick();
    return { a: { name, index: i }, b: { name, index: 1 + ((i - 1 + 1 + rng.int(per - 1)) % per) } };
  };
  const differentDraw = (): LfwPairSpec => {
    const a = rng.int(ids);
    const b = (a + 1 + rng.int(ids - 1)) % ids;
    return { a: { name: synthIdentityName(a), index: pick() }, b: { name: synthIdentityName(b), index: pick() } };
  };
  const foldSpecs = Array.from({ length: folds }, () => {
    const same: LfwPairSpec[] = [];
    const different: LfwPairSpec[] = [];
    for (let k = 0; k < perFold; k++) {
      same.push(distinct(sameDraw));
      different.push(distinct(differentDraw));
    }
    return { same, different };
  });
  const path = join(o.out, 'pairs.txt');
  await writePairs(path, foldSpecs, { oneNumberHeader: folds === 1 });
  return path;
}

/** Options of {@link write300WDataset}. */
export interface W300Options extends SynthDatasetOptions {
  /** Number of images (default 20). */
  count?: number;
}

/**
 * 300-W layout: `synth_0001.png` with `synth_0001.pts` (68 points, iBUG order, pixel coordinates with pixel
 * centres at integers, as SynthFace.landmarks); a fifth of the faces carry an occluder, as in-the-wild sets do.
 * Returns the image paths.
 */
export async function write300WDataset(o: W300Options): Promise<string[]> {
  const count = checkPositiveInt(o.count ?? 20, 'count');
  await mkdir(o.out, { recursive: true });
  const written: string[] = [];
  for (let i = 0; i < count; i++) {
    const f = synthFace(mixSeed(o.seed ?? 0, i), { size: o.size, style: o.style, occlusion: 0.2 });
    const base = join(o.out, `synth_${pad(i + 1, 4)}`);
    await writeImage(`${base}.png`, raw(f));
    const pts = Array.from({ length: 68 }, (_, k) => [f.landmarks[2 * k]!, f.landmarks[2 * k + 1]!] as const);
    await writePts(`${base}.pts`, pts);
    written.push(`${base}.png`);
    o.onProgress?.(i + 1, count);
  }
  return written;
}

/** Options of {@link writeClipVideos}. */
export interface ClipVideosOptions extends SynthDatasetOptions {
  /** Number of clips (default 2). */
  count?: number;
  /** Frames per clip (default 48). */
  frames?: number;
  /** Frame rate (default 25). */
  fps?: number;
  /** Container (default 'mp4'). */
  format?: SynthVideoFormat;
}

/**
 * Clips as videos: `clip_0001.mp4` with `clip_0001.csv` (header `frame,valence,arousal,emotion`, one row per
 * frame, emotion as its name). Returns the video paths.
 */
export async function writeClipVideos(o: ClipVideosOptions): Promise<string[]> {
  const count = checkPositiveInt(o.count ?? 2, 'count');
  const frames = checkPositiveInt(o.frames ?? 48, 'frames');
  const format = o.format ?? 'mp4';
  await mkdir(o.out, { recursive: true });
  const written: string[] = [];
  for (let c = 0; c < count; c++) {
    const clip = renderClip(mixSeed(o.seed ?? 0, c, 0xc0), { frames, fps: o.fps, size: o.size, style: o.style });
    const base = join(o.out, `clip_${pad(c + 1, 4)}`);
    await writeVideo(`${base}.${format}`, clip.map(raw), { fps: o.fps ?? 25 });
    const rows = clip.map((f, i) => [i, round(f.valence), round(f.arousal), SYNTH_EMOTIONS[f.emotion]!]);
    await writeCsv(`${base}.csv`, rows, { header: ['frame', 'valence', 'arousal', 'emotion'] });
    written.push(`${base}.${format}`);
    o.onProgress?.(c + 1, count);
  }
  return written;
}

/** Options of {@link writeDeblurDataset}. */
export interface DeblurOptions extends SynthDatasetOptions {
  /** Number of pairs (default 20). */
  count?: number;
  /** Sub-frames averaged per blurred image, odd (default 7). */
  subFrames?: number;
  /** Length of the motion path in pixels (default 8 % of the size). */
  extent?: number;
}

/**
 * Deblurring pairs: `blurred/0001.png` (mean of the sub-frames of a moving face) and `sharp/0001.png` (the
 * middle sub-frame). Returns the blurred image paths.
 */
export async function writeDeblurDataset(o: DeblurOptions): Promise<string[]> {
  const count = checkPositiveInt(o.count ?? 20, 'count');
  await mkdir(join(o.out, 'blurred'), { recursive: true });
  await mkdir(join(o.out, 'sharp'), { recursive: true });
  const written: string[] = [];
  for (let i = 0; i < count; i++) {
    const seed = mixSeed(o.seed ?? 0, i, 0xdb);
    const base = sampleFaceParams(seed, { size: o.size, style: o.style });
    const sample = renderMotionBlur(motionBlurParams(base, seed, { subFrames: o.subFrames, extent: o.extent }));
    const name = `${pad(i + 1, 4)}.png`;
    await writeImage(join(o.out, 'blurred', name), { data: sample.blurredImage, width: base.size, height: base.size, channels: 3 });
    await writeImage(join(o.out, 'sharp', name), raw(sample.sharp));
    written.push(join(o.out, 'blurred', name));
    o.onProgress?.(i + 1, count);
  }
  return written;
}
