import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@facelab/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { cropFace, locateHuman, modelFileIO, squareFaceBox } from '../src/index.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('squareFaceBox / cropFace', () => {
  it('centres a square of side max(w, h)·(1 + margin) on the box', () => {
    expect(squareFaceBox([10, 20, 40, 60], { margin: 0.5 })).toEqual({ x: -15, y: 5, width: 90, height: 90 });
    expect(squareFaceBox([0, 0, 8, 4], { margin: 0 })).toEqual({ x: 0, y: -2, width: 8, height: 8 });
  });

  it('samples output pixel centres at their places in the source (a ramp image, by hand), zero outside, dtype kept', () => {
    // value = 1000·y + x at pixel (x, y): bilinear sampling at (sx, sy) gives 1000·sy + sx exactly.
    const H = 50;
    const W = 60;
    const ramp = tf.tensor3d(Float32Array.from({ length: H * W }, (_, i) => 1000 * Math.floor(i / W) + (i % W)), [H, W, 1]);
    const before = tf.memory().numTensors;
    // box [10, 12, 20, 20], no margin, 8 × 8 output: pixel j samples 10 + (j + 0.5)·2.5 − 0.5 along x.
    const crop = cropFace(ramp, [10, 12, 20, 20], { margin: 0, size: 8 });
    const v = crop.arraySync() as number[][][];
    for (const j of [0, 3, 7]) for (const i of [0, 5, 7]) expect(v[i]![j]![0]).toBeCloseTo(1000 * (12 + (i + 0.5) * 2.5 - 0.5) + (10 + (j + 0.5) * 2.5 - 0.5), 2);
    crop.dispose();
    const outside = cropFace(ramp, [-40, -40, 20, 20], { margin: 0, size: 4 });
    expect(Array.from(outside.dataSync())).toEqual(new Array(16).fill(0));
    outside.dispose();
    const int = tf.cast(ramp, 'int32') as tf.Tensor3D;
    const ic = cropFace(int, [0, 0, 10, 10], { size: 5 });
    expect(ic.dtype).toBe('int32');
    expect(ic.shape).toEqual([5, 5, 1]);
    tf.dispose([ic, int]);
    expect(tf.memory().numTensors).toBe(before);
    ramp.dispose();
  });
});

describe('modelFileIO / locateHuman', () => {
  it("reads a graph model of the installed Human (BlazeFace: its weight file's bytes, every manifest entry)", async () => {
    const { models } = locateHuman(import.meta.url);
    const artifacts = await modelFileIO(join(models, 'blazeface.json')).load!();
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(538928); // models/models.json lists this size
    expect(artifacts.weightSpecs!.length).toBeGreaterThan(10);
    expect(artifacts.format).toBe('graph-model');
  });

  it('says in one line how to install Human when it cannot be found', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-human-'));
    writeFileSync(join(empty, 'index.js'), '');
    expect(() => locateHuman(join(empty, 'index.js'))).toThrow(/^@facelab\/face-detect needs the optional peer @vladmandic\/human 3\.3\.6 .*npm install @vladmandic\/human@3\.3\.6 @tensorflow\/tfjs-converter@4\.22\.0$/);
  });
});
