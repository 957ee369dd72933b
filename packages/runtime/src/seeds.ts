/**
 * Per-layer initialiser seeds. A block's `seed` and each layer's name give that layer's seed, so a model built
 * twice with one seed starts from the same weights, whatever order its blocks are built in.
 */
import { mulberry32 } from './random.js';

/** FNV-1a hash of a string, 32 bits. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The initialiser seed of layer `layerName` under block seed `seed`, or undefined (unseeded) without one. */
export function layerSeed(seed: number | undefined, layerName: string): number | undefined {
  if (seed === undefined) return undefined;
  if (!Number.isInteger(seed)) throw new Error(`layer seed must be an integer, got ${seed} (layer '${layerName}')`);
  return Math.floor(mulberry32((seed >>> 0) ^ fnv1a(layerName))() * 2 ** 31);
}
