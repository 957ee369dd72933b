/** The dataset readers on small files written in a temp folder: sequence cutting, masks and error messages. */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeImage } from '@facelab/data';
import { initBackend } from '@facelab/core-tensor';
import { readAffWildCsv, loadSequences, sequenceVideos } from '../src/data/released.js';
import { readAffWildFolder } from '../src/data/affwild-folder.js';
import { readOmgCsv } from '../src/data/omg.js';
import { listAfewClips } from '../src/data/afew.js';

let dir: string;

/** A solid-colour PNG of size×size with value `v` in every channel. */
async function png(path: string, size: number, v: number): Promise<void> {
  const data = new Uint8Array(size * size * 3).fill(v);
  await writeFile(path, await encodeImage({ data, width: size, height: size, channels: 3 }, 'png'));
}

beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'affwildnet-data-'));
  await mkdir(join(dir, 'img'));
  for (let i = 0; i < 7; i++) await png(join(dir, 'img', `${i}.png`), 4, 100 + i);
  await png(join(dir, 'img', 'big.png'), 6, 0);
});

async function csv(name: string, text: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, text);
  return p;
}

const rows = (n: number) => Array.from({ length: n }, (_, i) => `img/${i}.png,${i / 10},${i === 0 ? 0 : -i / 10}`).join('\n');

describe('released CSV format', () => {
  it('cuts 7 frames into sequences of 3: remainder dropped or padded with mask 0', async () => {
    const p = await csv('seq.csv', rows(7));
    const dropped = await readAffWildCsv(p, { length: 3 });
    expect(dropped.map((s) => s.labels)).toEqual([
      [[0, 0], [0.1, -0.1], [0.2, -0.2]],
      [[0.3, -0.3], [0.4, -0.4], [0.5, -0.5]],
    ]);
    const padded = await readAffWildCsv(p, { length: 3, remainder: 'mask' });
    expect(padded).toHaveLength(3);
    expect(padded[2]!.mask).toEqual([1, 0, 0]);
    // The video of each real frame is its folder's name (all 'img' here; padding has none).
    expect(sequenceVideos(padded)).toEqual([['img', 'img', 'img'], ['img', 'img', 'img'], ['img']]);
    expect(padded[2]!.paths).toEqual([join(dir, 'img/6.png'), join(dir, 'img/6.png'), join(dir, 'img/6.png')]);
    const set = await loadSequences(padded, 4);
    expect([set.count, set.length, set.size]).toEqual([3, 3, 4]);
    // Pixel 106 of frame 6 → (106 − 128)/128.
    expect(set.frames[(2 * 3) * 48]).toBeCloseTo((106 - 128) / 128, 6);
    expect(Array.from(set.mask!)).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0]);
  });

  it('errors name the file and line', async () => {
    await expect(readAffWildCsv(await csv('range.csv', 'img/0.png,0.1,0.2\nimg/1.png,1.5,0\n'))).rejects.toThrow(/range\.csv:2: valence 1\.5 is outside \[-1, 1\]/);
    await expect(readAffWildCsv(await csv('fields.csv', 'img/0.png,0.1\n'))).rejects.toThrow(/fields\.csv:1: expected 3 fields/);
    await expect(readAffWildCsv(await csv('nan.csv', 'img/0.png,0.1,x\n'))).rejects.toThrow(/nan\.csv:1: arousal 'x' is not a number/);
    const missing = await readAffWildCsv(await csv('missing.csv', 'img/0.png,0,0\nimg/nope.png,0,0\n'), { length: 2 });
    await expect(loadSequences(missing, 4)).rejects.toThrow(/missing\.csv:2: .*nope\.png/);
    const size = await readAffWildCsv(await csv('size.csv', 'img/0.png,0,0\nimg/big.png,0,0\n'), { length: 2 });
    await expect(loadSequences(size, 4)).rejects.toThrow(/size\.csv:2: .*big\.png: frame is 6×6, expected 4×4/);
    const a = await readAffWildCsv(await csv('a.csv', rows(2)), { length: 2 });
    const b = await readAffWildCsv(await csv('b.csv', rows(3)), { length: 3 });
    await expect(loadSequences([...a, ...b], 4)).rejects.toThrow(/b\.csv:1: sequence 1 has 3 frames, expected 2/);
  });
});

describe('Aff-Wild folder', () => {
  it('pairs frames with per-frame annotations and checks their counts', async () => {
    const root = join(dir, 'affwild');
    await mkdir(join(root, 'frames', 'vid1'), { recursive: true });
    await mkdir(join(root, 'annotations', 'valence'), { recursive: true });
    await mkdir(join(root, 'annotations', 'arousal'), { recursive: true });
    for (let i = 0; i < 3; i++) await png(join(root, 'frames', 'vid1', `${String(i).padStart(5, '0')}.png`), 4, i);
    await writeFile(join(root, 'annotations', 'valence', 'vid1.txt'), '0.1\n0.2\n0.3\n');
    await writeFile(join(root, 'annotations', 'arousal', 'vid1.txt'), '-0.1\n-0.2\n-0.3\n');
    const [v] = await readAffWildFolder(root);
    expect(v!.video).toBe('vid1');
    expect(v!.sequence.labels).toEqual([[0.1, -0.1], [0.2, -0.2], [0.3, -0.3]]);
    await writeFile(join(root, 'annotations', 'arousal', 'vid1.txt'), '-0.1\n-0.2\n');
    await expect(readAffWildFolder(root)).rejects.toThrow(/arousal\/vid1\.txt: 2 annotated frames but video 'vid1' has 3 frames/);
    await writeFile(join(root, 'annotations', 'arousal', 'vid1.txt'), '-0.1\n-2\n0\n');
    await expect(readAffWildFolder(root)).rejects.toThrow(/arousal\/vid1\.txt:2: value -2 is outside \[-1, 1\]/);
    await writeFile(join(root, 'annotations', 'arousal', 'vid1.txt'), '-0.1\n-0.2\n-0.3\n');
    await mkdir(join(root, 'frames', 'vid2'));
    await expect(readAffWildFolder(root)).rejects.toThrow(/valence\/vid2\.txt: cannot read annotation file/);
  });
});

describe('OMG-Emotion CSV and AFEW folders', () => {
  it('reads the release header exactly as OMG-Emotion spells it', async () => {
    // The first line of omg_TrainVideos.csv / omg_ValidationVideos.csv / omg_TestVideos_WithLabels.csv.
    const release = 'link,start,end,video,utterance,arousal,valence,EmotionMaxVote\n';
    const p = await csv('omg-release.csv', `${release}https://www.youtube.com/watch?v=3ypn5fS5Ck4,12.34,15.2,3ypn5fS5Ck4,utterance_1.mp4,0.5127,-0.0619,4\n`);
    expect(await readOmgCsv(p)).toEqual([
      { link: 'https://www.youtube.com/watch?v=3ypn5fS5Ck4', start: 12.34, end: 15.2, video: '3ypn5fS5Ck4', utterance: 'utterance_1.mp4', arousal: 0.5127, valence: -0.0619, emotion: 4, line: 2 },
    ]);
    // Case and surrounding spaces are harmless: a re-saved header with a BOM and another case reads the same.
    const p2 = await csv('omg-resaved.csv', `\uFEFFLink, Start,End,Video,Utterance,Arousal,Valence,emotionmaxvote\nx,0,1,v,u,0.4,0.1,3\n`);
    expect(await readOmgCsv(p2)).toMatchObject([{ video: 'v', utterance: 'u', arousal: 0.4, valence: 0.1, emotion: 3 }]);
    await expect(readOmgCsv(await csv('omg-noemo.csv', 'link,start,end,video,utterance,arousal,valence\nx,0,1,v,u,0.4,0.1\n'))).rejects.toThrow(/omg-noemo\.csv:1: missing column\(s\) EmotionMaxVote/);
    await expect(readOmgCsv(await csv('omg-emo.csv', `${release}x,0,1,v,u,0.4,0.1,7\n`))).rejects.toThrow(/omg-emo\.csv:2: EmotionMaxVote 7 is not a class index/);
  });

  it('reads utterances and rejects bad rows by line', async () => {
    const head = 'link,start,end,video,utterance,arousal,valence,emotionMaxVote\n';
    const p = await csv('omg.csv', `${head}http://y/a,1.5,3.0,v1,u1.mp4,0.4,-0.2,3\n`);
    const [u] = await readOmgCsv(p);
    expect(u).toMatchObject({ video: 'v1', utterance: 'u1.mp4', arousal: 0.4, valence: -0.2, emotion: 3, start: 1.5, line: 2 });
    await expect(readOmgCsv(await csv('omg2.csv', `${head}x,0,1,v,u,0.4,0.1,3\nx,0,1,v,u,0.4,1.2,3\n`))).rejects.toThrow(/omg2\.csv:3: valence 1\.2 is outside/);
    await expect(readOmgCsv(await csv('omg3.csv', 'link,start\nx,0\n'))).rejects.toThrow(/omg3\.csv:1: missing column\(s\) end, video/);
  });

  it('lists AFEW class folders with AFEW label order, rejecting unknown classes', async () => {
    const root = join(dir, 'afew');
    await mkdir(join(root, 'Happy', 'clip1'), { recursive: true });
    await mkdir(join(root, 'Angry', 'clip2'), { recursive: true });
    expect((await listAfewClips(root)).map((c) => [c.className, c.label])).toEqual([['Angry', 0], ['Happy', 3]]);
    await mkdir(join(root, 'Bored', 'clip3'), { recursive: true });
    await expect(listAfewClips(root)).rejects.toThrow(/unknown class folder\(s\) Bored/);
  });
});
