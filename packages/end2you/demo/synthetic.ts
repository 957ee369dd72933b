/**
 * The demo's raw files: synthetic talking-face clips (@facelab/synth) whose valence/arousal follow smooth
 * trajectories, with a soundtrack synthesised here (a harmonic voice whose pitch and loudness rise with
 * arousal, syllable-rate amplitude modulation, breath noise) and a skin-conductance-like physiological channel
 * (arousal low-passed plus noise), written as mp4 (video + soundtrack), csv (signal) and label CSVs at 40 ms.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ffmpegPath, writeVideo, writeWav } from '@facelab/data';
import { Rng } from '@facelab/runtime';
import { clipTrajectory, renderClip } from '@facelab/synth';
import { writeLabelFile, writeSignalCsv } from '@facelab/end2you';

/** Options of {@link writeSyntheticSet}. */
export interface SyntheticSetOptions {
  /** Clip seeds, one clip each. */
  seeds: number[];
  /** Seconds per clip. */
  seconds: number;
  /** Face image size. */
  size: number;
  fps?: number;
  audioRate?: number;
  /** Physiological sample rate (default 250 Hz: 10 samples per 40 ms step). */
  physioRate?: number;
}

/** The soundtrack of a clip: f0 = 150 + 70·arousal Hz, loudness 0.2 + 0.12·arousal, 4 Hz syllables. */
export function voice(arousal: Float64Array, fps: number, rate: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const n = Math.round((arousal.length / fps) * rate);
  const out = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const f = Math.min(arousal.length - 1, (i / rate) * fps);
    const k = Math.floor(f);
    const a = arousal[k]! + (arousal[Math.min(k + 1, arousal.length - 1)]! - arousal[k]!) * (f - k);
    phase += (2 * Math.PI * (150 + 70 * a)) / rate;
    const syllable = 0.6 + 0.4 * Math.sin((2 * Math.PI * 4 * i) / rate);
    let x = 0;
    for (let h = 1; h <= 5; h++) x += Math.sin(h * phase) / h;
    out[i] = (0.2 + 0.12 * a) * syllable * 0.5 * x + 0.01 * rng.normal();
  }
  return out;
}

/** The physiological channel: arousal through a one-pole low-pass (τ = 1 s) plus noise, at `rate` Hz. */
export function skinConductance(arousal: Float64Array, fps: number, rate: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const n = Math.round((arousal.length / fps) * rate);
  const out = new Float32Array(n);
  let y = arousal[0]!;
  for (let i = 0; i < n; i++) {
    y += (arousal[Math.min(arousal.length - 1, Math.floor((i / rate) * fps))]! - y) / rate;
    out[i] = y + 0.05 * rng.normal();
  }
  return out;
}

/** Writes clip `seed`'s mp4, physiological CSV and label CSV into `dir`; returns the input-list row. */
async function writeClip(dir: string, seed: number, o: SyntheticSetOptions): Promise<string> {
  const fps = o.fps ?? 25;
  const frames = Math.round(o.seconds * fps);
  const clip = { frames, fps, size: o.size, motion: 0.3, clutter: false, noise: 0.5 };
  const { valence, arousal } = clipTrajectory(seed, clip);
  const faces = renderClip(seed, clip);
  const name = `clip${seed}`;
  const silent = join(dir, `${name}.silent.mp4`);
  const track = join(dir, `${name}.wav`);
  await writeVideo(silent, faces.map((f) => ({ data: f.image, width: f.size, height: f.size, channels: 3 as const })), { fps });
  await writeWav(track, { sampleRate: o.audioRate ?? 16000, channels: [voice(arousal, fps, o.audioRate ?? 16000, seed)] });
  await promisify(execFile)(ffmpegPath(), ['-v', 'error', '-y', '-i', silent, '-i', track, '-c:v', 'copy', '-c:a', 'aac', '-b:a', '128k', '-shortest', join(dir, `${name}.mp4`)]);
  await rm(silent);
  await rm(track);
  const physioRate = o.physioRate ?? 250;
  await writeSignalCsv(join(dir, `${name}.physio.csv`), { rate: physioRate, start: 0, names: ['eda'], samples: skinConductance(arousal, fps, physioRate, seed) });
  // Labels at 40 ms: the trajectory at each step's start.
  const step = 0.04;
  const steps = Math.floor(o.seconds / step) - 1;
  const values = new Float32Array(steps * 2);
  for (let s = 0; s < steps; s++) {
    const k = Math.min(frames - 1, Math.round(s * step * fps));
    values[2 * s] = arousal[k]!;
    values[2 * s + 1] = valence[k]!;
  }
  await writeLabelFile(join(dir, `${name}.labels.csv`), { names: ['arousal', 'valence'], times: Array.from({ length: steps }, (_, s) => s * step), step, values });
  return `${name}.mp4,${name}.physio.csv,${name}.labels.csv`;
}

/** Writes a set of clips and its input list (`input.csv`) into `dir`; returns the list's path. */
export async function writeSyntheticSet(dir: string, options: SyntheticSetOptions): Promise<string> {
  await mkdir(dir, { recursive: true });
  const rows: string[] = [];
  for (const seed of options.seeds) rows.push(await writeClip(dir, seed, options));
  const list = join(dir, 'input.csv');
  await writeFile(list, ['raw_file,physio_file,label_file', ...rows].join('\n') + '\n');
  return list;
}
