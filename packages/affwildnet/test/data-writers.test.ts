/** The Aff-Wild and AFEW writers on synthetic clips: files in the layouts the readers expect. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@facelab/core-tensor';
import { decodeImage, listClassFolders, readVideoFrames } from '@facelab/data';
import { psnr } from '@facelab/metrics';
import { readCsv, mixSeed } from '@facelab/runtime';
import { SYNTH_EMOTIONS, renderClip, type SynthFace } from '@facelab/synth';
import { writeAffWildCsv } from '../src/data/released.js';
import { AFEW_CLASSES, writeAfewClips } from '../src/data/afew.js';

let dir: string;
beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'affwildnet-writers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const raw = (f: SynthFace) => ({ data: f.image, width: f.size, height: f.size, channels: 3 });

describe('dataset writers', () => {
  it('writes the Aff-Wild layout: frame folders and a headerless path,valence,arousal CSV', async () => {
    const out = join(dir, 'affwild');
    const videos = [0, 1].map((v) => ({
      name: `video_00${v + 1}`,
      frames: renderClip(mixSeed(3, v), { frames: 5, size: 48 }).map((f) => ({ image: raw(f), valence: f.valence, arousal: f.arousal })),
    }));
    await writeAffWildCsv(out, videos);
    const table = await readCsv(join(out, 'labels.csv'), { header: false });
    expect(table.rows.length).toBe(10);
    expect((await readdir(join(out, 'frames'))).sort()).toEqual(['video_001', 'video_002']);
    const clip = renderClip(mixSeed(3, 1), { frames: 5, size: 48 });
    const row = table.rows[5]!;
    expect(row.fields[0]).toBe('frames/video_002/00001.jpg');
    expect(Number(row.fields[1])).toBeCloseTo(clip[0]!.valence, 4);
    expect(Number(row.fields[2])).toBeCloseTo(clip[0]!.arousal, 4);
    const img = await decodeImage(join(out, 'frames/video_002/00001.jpg'));
    expect([img.width, img.height, img.channels]).toEqual([48, 48, 3]);
    expect(psnr(img.data, clip[0]!.image, { dataRange: 255 })).toBeGreaterThan(28); // JPEG quality 90
  });

  it('writes the AFEW layout: one folder of clips per emotion, decodable videos', async () => {
    const out = join(dir, 'afew');
    const clips = AFEW_CLASSES.map((className, c) => ({
      className,
      frames: renderClip(mixSeed(0, c, 0), { frames: 4, size: 48, emotion: className }).map(raw),
    }));
    await writeAfewClips(out, clips);
    const listed = await listClassFolders(out, { extensions: ['.mp4'] });
    expect(listed.classes).toEqual([...SYNTH_EMOTIONS]);
    expect(listed.items.length).toBe(7);
    const happy = listed.items.find((i) => i.className === 'Happy')!;
    expect(happy.label).toBe(3);
    const frames: Uint8Array[] = [];
    for await (const f of readVideoFrames(happy.path)) frames.push(Uint8Array.from(f.data));
    expect(frames.length).toBe(4);
    const clip = renderClip(mixSeed(0, 3, 0), { frames: 4, size: 48, emotion: 'Happy' });
    expect(psnr(frames[0]!, clip[0]!.image, { dataRange: 255 })).toBeGreaterThan(25);
  });
});
