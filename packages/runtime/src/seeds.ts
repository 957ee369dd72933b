/**
 * Seed derivation. {@link mixSeed} turns a seed plus stream/epoch/item numbers into the seed of an independent
 * stream; {@link layerSeed} gives each named layer of a block its own initialiser seed, so a model built twice
 * with one seed starts from the same weights, whatever order its blocks are built in.
 */
import { mulberry32 } from './random.js';

/** Mixes integers into one 32-bit seed (the murmur3 finaliser after each word), e.g. `mixSeed(seed, epoch)`. */
export function mixSeed(...words: number[]): number {
  let h = 0x9e3779b9;
  for (const w of words) {
    h = Math.imul(h ^ (w >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

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
