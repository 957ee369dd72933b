/** Seeded test data. */

/** A seeded standard-normal Float32Array of the given shape's size (`rng` is a @facelab/runtime Rng). */
export function randn(rng: { normal(): number }, shape: number[]): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = rng.normal();
  return out;
}
