import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { describeCliConventions, runCli } from '@facelab/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { readImageFloat } from '../src/index.js';
import { translatingClip, writeLosslessVideo } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'deblur-cli-'));
const video = join(root, 'clip.mkv');
const run = (...args: string[]) => runCli(buildProgram(), args);

beforeAll(async () => {
  await initBackend('wasm');
  writeLosslessVideo(video, translatingClip(32, 14, [1, 1], 21, true));
});

describe('facelab-deblur', () => {
  it('synth → train → evaluate → predict on a video, with --json results and no leaked tensors', async () => {
    const pairs = join(root, 'pairs');
    const synth = await run('synth', video, '--n', '5-7', '--box', '0,0,16,16', '--stride', '2', '--seed', '1', '-o', pairs, '--backend', 'wasm', '--json');
    expect(synth.code).toBe(0);
    const s = JSON.parse(synth.stdout);
    expect(s.pairs).toBe(4); // centres 3, 5, 7, 9 of 14 frames with n ≤ 7
    expect(readdirSync(join(pairs, 'blurred'))).toHaveLength(4);
    expect(readFileSync(join(pairs, 'pairs.csv'), 'utf8').split('\n')[0]).toBe('name,n,centre');

    const before = tf.memory().numTensors;
    const out = join(root, 'run');
    const train = await run('train', '--data', pairs, '--filters', '4,8', '--steps', '2', '--batch-size', '2', '--no-progress', '-o', out, '--backend', 'wasm', '--json');
    expect(train.code, train.stderr).toBe(0);
    expect(JSON.parse(train.stdout)).toMatchObject({ steps: 2, stopReason: 'steps', twoStream: false });
    expect(existsSync(join(out, 'model', 'deblur.json'))).toBe(true);
    expect(existsSync(join(out, 'train.jsonl'))).toBe(true);

    const ev = await run('evaluate', '--model', join(out, 'model'), '--data', pairs, '--backend', 'wasm', '--json');
    expect(ev.code, ev.stderr).toBe(0);
    const scores = JSON.parse(ev.stdout);
    expect(scores.pairs).toBe(4);
    expect(Object.keys(scores.scores)).toEqual(['blurred', 'deblurred']);
    expect(scores.scores.blurred.psnr).toBeGreaterThan(5);

    const pred = await run('predict', join(pairs, 'blurred'), '--model', join(out, 'model'), '-o', join(root, 'pred'), '--backend', 'wasm', '--json');
    expect(pred.code, pred.stderr).toBe(0);
    expect(JSON.parse(pred.stdout).written).toHaveLength(4);
    const one = await run('predict', join(pairs, 'blurred', '00001.png'), '--model', join(out, 'model'), '-o', join(root, 'pred1'));
    expect(one.stdout).toMatch(/wrote 1 deblurred image to/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('synth crops one face box per frame from --boxes, and names a too-short box list and a bad line', async () => {
    const boxes = join(root, 'boxes.csv');
    writeFileSync(boxes, 'x,y,w,h\n' + Array.from({ length: 14 }, (_, t) => `${t},${t},16,16`).join('\n') + '\n');
    const moving = await run('synth', video, '--n', '5', '--boxes', boxes, '--limit', '2', '-o', join(root, 'tracked'), '--backend', 'wasm', '--json');
    expect(moving.code, moving.stderr).toBe(0);
    expect(JSON.parse(moving.stdout).pairs).toBe(2);
    // The clip moves 1 px per frame along both axes and the boxes follow it: every crop is the same image,
    // so the blurred crop equals the sharp one.
    const blurred = await readImageFloat(join(root, 'tracked', 'blurred', '00001.png'));
    const sharp = await readImageFloat(join(root, 'tracked', 'sharp', '00001.png'));
    expect(blurred.width).toBe(16);
    expect(Math.max(...blurred.data.map((v, k) => Math.abs(v - sharp.data[k]!)))).toBeLessThanOrEqual(1 / 255 + 1e-6);
    const few = join(root, 'few.csv');
    writeFileSync(few, '0,0,16,16\n0,0,16,16\n');
    const short = await run('synth', video, '--n', '5', '--boxes', few, '-o', join(root, 'few'), '--backend', 'wasm');
    expect(short.stderr).toMatch(/has more frames than face boxes \(2\)/);
    const badLine = join(root, 'bad.csv');
    writeFileSync(badLine, '0,0,16,16\n1,2,3\n');
    const bad = await run('synth', video, '--boxes', badLine, '-o', join(root, 'bad'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${badLine}:2 must be x,y,width,height`);
  });

  it('rejects an even n, a range past the clip and an unreadable video with one line and exit code 2 or 1', async () => {
    const even = await run('synth', video, '--n', '8', '-o', join(root, 'x'));
    expect(even.code).toBe(2);
    expect(even.stderr).toMatch(/^facelab-deblur: --n must be an odd positive integer.*got 8\n$/);
    const long = await run('synth', video, '--n', '15', '-o', join(root, 'y'));
    expect(long.code).toBe(1);
    expect(long.stderr).toContain(`n = 15 is larger than ${video}, which has 14 frames`);
    const bad = await run('synth', join(root, 'pairs', 'pairs.csv'), '-o', join(root, 'z'));
    expect(bad.stderr).toMatch(/^facelab-deblur: cannot read the video .*pairs\.csv/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describeCliConventions(buildProgram, {
  version: (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version,
  command: ['train'],
  missingFile: { args: ['synth', '/nonexistent/clip.mp4', '-o', '/tmp/never'], path: '/nonexistent/clip.mp4' },
  notANumber: { args: ['train', '--data', '.', '--steps', 'abc'], flag: '--steps' },
});
