/** Pixels in and out of the page: PNG/photo → Pixels through a canvas, Pixels → an enlarged canvas. */
import type { Pixels } from './features.js';

function context(width: number, height: number): CanvasRenderingContext2D {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas.getContext('2d', { willReadFrequently: true })!;
}

/** RGBA from a canvas → RGB (channels 3) or the red channel (channels 1, for grey images). */
function fromRgba(rgba: Uint8ClampedArray, width: number, height: number, channels: 1 | 3): Pixels {
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < width * height; i++) for (let c = 0; c < channels; c++) data[i * channels + c] = rgba[i * 4 + c]!;
  return { data, width, height, channels };
}

/** Decodes an image (a URL or a picked file) exactly as stored (no colour conversion), optionally centre-cropped and scaled to a square. */
export async function readPixels(source: string | Blob, channels: 1 | 3, square?: number): Promise<Pixels> {
  const blob = typeof source === 'string' ? await (await fetch(source)).blob() : source;
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const side = Math.min(bitmap.width, bitmap.height);
  const [w, h] = square === undefined ? [bitmap.width, bitmap.height] : [square, square];
  const ctx = context(w, h);
  if (square === undefined) ctx.drawImage(bitmap, 0, 0);
  else ctx.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, w, h);
  return fromRgba(ctx.getImageData(0, 0, w, h).data, w, h, channels);
}

/** A video frame centre-cropped and scaled to a square RGB image. */
export function videoPixels(video: HTMLVideoElement, square: number): Pixels {
  const ctx = context(square, square);
  const side = Math.min(video.videoWidth, video.videoHeight);
  ctx.drawImage(video, (video.videoWidth - side) / 2, (video.videoHeight - side) / 2, side, side, 0, 0, square, square);
  return fromRgba(ctx.getImageData(0, 0, square, square).data, square, square, 3);
}

/** A canvas showing `p` enlarged `scale`× (values in [0, 1] when `unit`, else 0–255). */
export function pixelCanvas(p: Pixels | { data: ArrayLike<number>; width: number; height: number; channels: number }, scale = 3, unit = false): HTMLCanvasElement {
  const ctx = context(p.width, p.height);
  const image = ctx.createImageData(p.width, p.height);
  for (let i = 0; i < p.width * p.height; i++) {
    for (let c = 0; c < 3; c++) {
      const v = p.data[i * p.channels + (p.channels === 1 ? 0 : c)]!;
      image.data[i * 4 + c] = unit ? Math.round(Math.min(1, Math.max(0, v)) * 255) : v;
    }
    image.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  const canvas = ctx.canvas;
  canvas.className = 'px';
  canvas.style.width = `${p.width * scale}px`;
  canvas.style.height = `${p.height * scale}px`;
  return canvas;
}

/** Draws valence (blue) and arousal (red) against the frame index on `canvas`, over [−1, 1]. */
export function plotAffect(canvas: HTMLCanvasElement, values: readonly number[][]): void {
  const ctx = canvas.getContext('2d')!;
  const { width: W, height: H } = canvas;
  ctx.clearRect(0, 0, W, H);
  ctx.strokeStyle = '#ccc';
  ctx.beginPath();
  ctx.moveTo(0, H / 2);
  ctx.lineTo(W, H / 2);
  ctx.stroke();
  ['#1f77b4', '#d62728'].forEach((colour, k) => {
    ctx.strokeStyle = colour;
    ctx.beginPath();
    values.forEach((v, t) => {
      const x = values.length > 1 ? (t / (values.length - 1)) * (W - 1) : 0;
      const y = H / 2 - (Math.max(-1, Math.min(1, v[k]!)) * (H - 4)) / 2;
      if (t === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
  });
  ctx.fillStyle = '#1f77b4';
  ctx.fillText('valence', 4, 12);
  ctx.fillStyle = '#d62728';
  ctx.fillText('arousal', 56, 12);
}
