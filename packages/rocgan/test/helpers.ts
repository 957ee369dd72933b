/** Shared test fixtures: the goldens and the tiny 32×32 layout every training test uses. */
import { readGolden } from '@facelab/test-utils';
import type { CreateRocGanOptions } from '../src/index.js';

/** Goldens made by test/golden/make_rocgan.py (PyTorch). */
export interface Golden {
  configs: {
    imageSize: number;
    channels: number[];
    skips: boolean;
    enc: number;
    dec: number;
    dis: number;
    disFeatures: number;
    encoderSizes: number[];
    latentChannels: number;
  }[];
  losses: { dAdv: number; gAdv: number; gTotal: number; dTotal: number };
  decov: { latent: number[][]; value: number };
  imageMetrics: { a: number[]; b: number[]; ssim: number; mae: number; maeWrapped: number; psnr: number };
}

export const golden = readGolden<Golden>(import.meta.url, 'rocgan.json');

/** A 32×32 RoCGAN with few channels: fast enough for training tests on two cores. */
export const TINY: CreateRocGanOptions = { imageSize: 32, channels: [8, 8, 16, 16], discriminatorChannels: [8, 8, 8] };

/** n smooth RGB test images (8-bit values) of side s, deterministic. */
export function smoothImages(n: number, s: number): Uint8Array[] {
  return Array.from({ length: n }, (_, k) => {
    const img = new Uint8Array(s * s * 3);
    for (let y = 0; y < s; y++) {
      for (let x = 0; x < s; x++) {
        for (let c = 0; c < 3; c++) {
          img[(y * s + x) * 3 + c] = Math.round(127.5 + 100 * Math.sin((x + 2 * k) / 5 + c) * Math.cos((y - k) / 7));
        }
      }
    }
    return img;
  });
}
