import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@facelab/core-tensor';
import { Dataset, toTensors } from '../src/index.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await initBackend('cpu');
});

describe('Dataset basics', () => {
  it('fromArray/fromGenerator replay; take, skip, filter, batch, zip', async () => {
    const ds = Dataset.fromGenerator(function* () {
      yield* range(10);
    });
    expect(await ds.toArray()).toEqual(range(10));
    expect(await ds.toArray()).toEqual(range(10)); // re-iterable
    expect(await ds.skip(3).take(4).toArray()).toEqual([3, 4, 5, 6]);
    expect(await ds.take(0).toArray()).toEqual([]);
    expect(await ds.filter((x) => x % 3 === 0).toArray()).toEqual([0, 3, 6, 9]);
    expect(await ds.batch(4).toArray()).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(await ds.batch(4, { dropRemainder: true }).toArray()).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    const z = Dataset.zip(ds, Dataset.fromArray(['a', 'b', 'c']));
    expect(await z.toArray()).toEqual([[0, 'a'], [1, 'b'], [2, 'c']]);
    expect(() => ds.batch(0)).toThrow('batch size must be a positive integer, got 0');
  });

  it('take stops the source early (lazy pull)', async () => {
    let pulled = 0;
    const ds = Dataset.fromGenerator(function* () {
      for (let i = 0; ; i++) {
        pulled++;
        yield i;
      }
    });
    expect(await ds.map((x) => x * 2).take(3).toArray()).toEqual([0, 2, 4]);
    expect(pulled).toBe(3);
  });

  it('breaking out of a prefetched, concurrent pipeline closes the source (its finally runs)', async () => {
    let closed = 0;
    const ds = Dataset.fromGenerator(async function* () {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed++;
      }
    })
      .map(async (x) => x, { concurrency: 3 })
      .batch(2)
      .prefetch(3);
    for await (const b of ds) if (b[0] === 4) break;
    expect(closed).toBe(1);
  });
});

describe('map', () => {
  it('runs up to `concurrency` calls at once and keeps the input order', async () => {
    let active = 0;
    let peak = 0;
    const out = await Dataset.fromArray(range(20))
      .map(
        async (x) => {
          active++;
          peak = Math.max(peak, active);
          await sleep((x * 7) % 5); // later items often finish first
          active--;
          return x * x;
        },
        { concurrency: 4 },
      )
      .toArray();
    expect(out).toEqual(range(20).map((x) => x * x));
    expect(peak).toBe(4);
  });

  it('a failing sample fails the stream naming its file; onError skip lists it in the report', async () => {
    const files = ['a.png', 'bad.png', 'c.png', 'worse.png'];
    const load = async (f: string): Promise<string> => {
      if (f.startsWith('b') || f.startsWith('w')) throw new Error(`cannot decode ${f}`);
      return f.toUpperCase();
    };
    await expect(Dataset.fromArray(files).map(load).toArray()).rejects.toThrow(
      "Dataset.map: sample 'bad.png' failed: cannot decode bad.png",
    );
    const ds = Dataset.fromArray(files).map(load, { onError: 'skip', concurrency: 2 }).batch(2);
    expect(await ds.toArray()).toEqual([['A.PNG', 'C.PNG']]);
    expect(ds.report.skipped).toEqual([
      { index: 1, name: 'bad.png', error: 'cannot decode bad.png' },
      { index: 3, name: 'worse.png', error: 'cannot decode worse.png' },
    ]);
    // A zip lists its inputs' skips; entries accumulate over iterations until cleared.
    const zipped = Dataset.zip(ds, Dataset.fromArray([0]).map(() => Promise.reject(new Error('nope')), { onError: 'skip' }));
    expect(await zipped.toArray()).toEqual([]);
    // (the zip stops at its shorter input, so its second pass over `ds` ends before 'worse.png')
    expect(zipped.report.skipped.map((s) => s.name)).toEqual(['bad.png', 'worse.png', 'bad.png', '#0']);
    zipped.report.clear();
    expect(ds.report.skipped).toEqual([]);
    const objs = Dataset.fromArray([{ path: 'x/1.jpg' }]).map(() => {
      throw new Error('boom');
    });
    await expect(objs.toArray()).rejects.toThrow("sample 'x/1.jpg' failed: boom");
  });
});

describe('shuffle', () => {
  it('is a permutation, reproducible by seed, different across seeds and epochs', async () => {
    const n = 1000;
    const make = (seed: number): Dataset<number> => Dataset.fromArray(range(n)).shuffle(64, seed);
    const a = make(42);
    const first = await a.toArray();
    expect([...first].sort((x, y) => x - y)).toEqual(range(n));
    expect(first).not.toEqual(range(n));
    expect(await make(42).toArray()).toEqual(first);
    expect(await make(43).toArray()).not.toEqual(first);
    const second = await a.toArray(); // the next epoch reshuffles…
    expect(second).not.toEqual(first);
    const b = make(42);
    await b.toArray();
    expect(await b.toArray()).toEqual(second); // …reproducibly
    // Buffer 64 of 1000: an item cannot move earlier than 64 places before where it entered.
    first.forEach((v, pos) => expect(pos).toBeGreaterThanOrEqual(v - 64));
  });

  it('with a buffer ≥ the dataset, every item is equally likely in front (χ² test)', async () => {
    const counts = new Array<number>(5).fill(0);
    const trials = 2000;
    for (let s = 0; s < trials; s++) counts[(await Dataset.fromArray(range(5)).shuffle(8, s).take(1).toArray())[0]!]!++;
    const expected = trials / 5;
    const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(18.47); // χ²(4) at p = 0.001
  });
});

describe('window', () => {
  it("'drop' keeps only full windows (stride < length, overlapping)", async () => {
    const w = await Dataset.fromArray(range(7)).window(3, { stride: 2 }).toArray();
    expect(w.map((x) => x.items)).toEqual([[0, 1, 2], [2, 3, 4], [4, 5, 6]]);
    expect(w.every((x) => x.mask.join() === '1,1,1')).toBe(true);
    const d = await Dataset.fromArray(range(8)).window(3).toArray();
    expect(d.map((x) => x.items)).toEqual([[0, 1, 2], [3, 4, 5]]);
  });

  it("'mask' pads the last window with the last sample or padValue and masks exactly", async () => {
    const w = await Dataset.fromArray(range(8)).window(3, { pad: 'mask' }).toArray();
    expect(w).toEqual([
      { items: [0, 1, 2], mask: [1, 1, 1] },
      { items: [3, 4, 5], mask: [1, 1, 1] },
      { items: [6, 7, 7], mask: [1, 1, 0] },
    ]);
    const v = await Dataset.fromArray(range(8)).window(4, { stride: 3, pad: 'mask', padValue: -1 }).toArray();
    expect(v).toEqual([
      { items: [0, 1, 2, 3], mask: [1, 1, 1, 1] },
      { items: [3, 4, 5, 6], mask: [1, 1, 1, 1] },
      { items: [6, 7, -1, -1], mask: [1, 1, 0, 0] },
    ]);
    // Everything already covered: no padded window. Shorter than one window: one padded window.
    expect((await Dataset.fromArray(range(6)).window(3, { pad: 'mask' }).toArray()).length).toBe(2);
    expect(await Dataset.fromArray([5]).window(3, { pad: 'mask', padValue: 0 }).toArray()).toEqual([
      { items: [5, 0, 0], mask: [1, 0, 0] },
    ]);
    // stride > length skips the gap; the tail after the gap is padded.
    expect(await Dataset.fromArray(range(7)).window(2, { stride: 3, pad: 'mask', padValue: 9 }).toArray()).toEqual([
      { items: [0, 1], mask: [1, 1] },
      { items: [3, 4], mask: [1, 1] },
      { items: [6, 9], mask: [1, 0] },
    ]);
  });
});

describe('prefetch', () => {
  it('does not change order, runs ahead of a slow consumer, and rethrows errors in place', async () => {
    let produced = 0;
    const ds = Dataset.fromGenerator(async function* () {
      for (let i = 0; i < 30; i++) {
        await sleep(i % 3);
        produced++;
        yield i;
      }
    }).prefetch(5);
    const seen: number[] = [];
    const leads: number[] = [];
    for await (const x of ds) {
      await sleep(3);
      leads.push(produced - x - 1);
      seen.push(x);
    }
    expect(seen).toEqual(range(30));
    expect(Math.max(...leads)).toBeGreaterThanOrEqual(4); // producer was ahead
    expect(Math.max(...leads)).toBeLessThanOrEqual(6); // but bounded by depth (+1 being awaited)
    const failing = Dataset.fromArray(range(10))
      .map((x) => {
        if (x === 6) throw new Error('six');
        return x;
      })
      .prefetch(4);
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const x of failing) got.push(x);
      })(),
    ).rejects.toThrow("sample '#6' failed: six");
    expect(got).toEqual(range(6));
  });

  it('memory stays flat streaming 200k samples of 64 kB (12.5 GiB) through map→batch→prefetch', async () => {
    const n = 200_000;
    const ds = Dataset.fromGenerator(function* () {
      for (let i = 0; i < n; i++) yield i;
    })
      .map((i) => {
        // allocUnsafe: zero-filled typed arrays cost ~60 µs each in Node 20, which would dominate the test.
        const a = Buffer.allocUnsafe(65536);
        a[0] = i & 255;
        a[1] = (i >> 8) & 255;
        return a;
      }, { concurrency: 4 })
      .batch(16)
      .prefetch(8);
    const used = (): number => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const base = used();
    let peak = 0;
    let count = 0;
    let checksum = 0;
    for await (const batch of ds) {
      for (const a of batch) {
        checksum += a[0]! + a[1]!;
        count++;
      }
      if (count % 8192 === 0) peak = Math.max(peak, used() - base);
    }
    expect(count).toBe(n);
    let ref = 0;
    for (let i = 0; i < n; i++) ref += (i & 255) + ((i >> 8) & 255);
    expect(checksum).toBe(ref);
    console.log(`streamed ${n} × 64 kB; peak heap+arrayBuffers above start: ${(peak / 2 ** 20).toFixed(1)} MiB`);
    // Measured 80–140 MiB (GC timing varies with load); the bound leaves room for that, still ≪ 12.5 GiB.
    expect(peak).toBeLessThan(512 * 2 ** 20);
  });
});

describe('mapInWorkers', () => {
  it('runs the module in worker threads, in order, with transferred typed arrays and named errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'facelab-w-'));
    const mod = join(dir, 'square.mjs');
    await writeFile(
      mod,
      `import { threadId } from 'node:worker_threads';
export default async function (x) {
  if (x === 13) throw new Error('unlucky');
  return { value: x * x, thread: threadId, data: new Float32Array([x, x + 0.5]), small: Buffer.from('ab' + x) };
}`,
    );
    const ds = Dataset.fromArray(range(40)).mapInWorkers<{ value: number; thread: number; data: Float32Array; small: Uint8Array }>(mod, {
      workers: 2,
      onError: 'skip',
    });
    const out = await ds.toArray();
    expect(out.map((o) => o.value)).toEqual(range(40).filter((x) => x !== 13).map((x) => x * x));
    expect(out[5]!.data).toEqual(new Float32Array([5, 5.5]));
    expect(Buffer.from(out[7]!.small).toString()).toBe('ab7'); // a pooled Buffer is copied, not transferred
    expect(new Set(out.map((o) => o.thread)).size).toBe(2);
    expect(ds.report.skipped).toEqual([{ index: 13, name: '#13', error: 'unlucky' }]);
    await expect(Dataset.fromArray(range(20)).mapInWorkers(mod).toArray()).rejects.toThrow(
      "sample '#13' failed: unlucky",
    );
    await expect(Dataset.fromArray([1]).mapInWorkers(join(dir, 'missing.mjs')).toArray()).rejects.toThrow(
      /worker for .*missing\.mjs crashed/,
    );
    const quitter = join(dir, 'quit.mjs');
    await writeFile(quitter, 'export default () => process.exit(3);');
    await expect(Dataset.fromArray([1, 2]).mapInWorkers(quitter, { workers: 1 }).toArray()).rejects.toThrow(
      'exited (code 3) with work pending',
    );
  });
});

describe('toTensors', () => {
  it('stacks numbers, typed arrays and images with the right shapes and dtypes; no leaks', () => {
    const batch = [
      { v: 0.5, lm: new Float32Array([1, 2, 3, 4]), img: { data: new Uint8Array([1, 2, 3, 4, 5, 6]), width: 1, height: 2, channels: 3 } },
      { v: -1, lm: new Float32Array([5, 6, 7, 8]), img: { data: new Uint8Array([7, 8, 9, 10, 11, 12]), width: 1, height: 2, channels: 3 } },
    ];
    const before = tf.memory().numTensors;
    const t = toTensors(batch, { shapes: { lm: [2, 2] } });
    expect(t.v.shape).toEqual([2]);
    expect(Array.from(t.v.dataSync())).toEqual([0.5, -1]);
    expect(t.lm.shape).toEqual([2, 2, 2]);
    expect(t.lm.dtype).toBe('float32');
    expect(Array.from(t.lm.dataSync())).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(t.img.shape).toEqual([2, 2, 1, 3]);
    expect(t.img.dtype).toBe('int32');
    expect(Array.from(t.img.dataSync())).toEqual(range(12).map((i) => i + 1));
    tf.dispose(Object.values(t));
    expect(() => toTensors([{ a: [1, 2] }, { a: [1] }])).toThrow("field 'a' of sample 1 has 1 values, sample 0 has 2");
    for (let i = 0; i < 50; i++) tf.dispose(Object.values(toTensors(batch)));
    expect(tf.memory().numTensors).toBe(before);
  });
});
