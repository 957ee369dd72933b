/** Pixel values as the released AffWildNet expects them (no files: also in the browser build). */

/** (x − 128)/128 of 8-bit RGB values. */
export function normalizeRgbBytes(rgb: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = (rgb[i]! - 128) / 128;
  return out;
}
