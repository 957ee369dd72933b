/**
 * Seeded pseudo-random numbers. mulberry32 is tiny, fast and has a 32-bit state that checkpoints can store,
 * so a resumed run draws exactly the numbers an uninterrupted one would.
 */

/** A seeded generator whose whole state is one 32-bit integer. */
export class Rng {
  private s: number;

  /** Creates a generator from an integer seed. */
  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** The next float in [0, 1) (mulberry32). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A float in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A standard normal draw (Box–Muller). */
  normal(mean = 0, std = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** The generator's state, to store in a checkpoint. */
  get state(): number {
    return this.s;
  }

  /** Restores a state read from a checkpoint. */
  set state(value: number) {
    this.s = value >>> 0;
  }
}

/** A mulberry32 function of a seed: each call returns the next float in [0, 1). */
export function mulberry32(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}
