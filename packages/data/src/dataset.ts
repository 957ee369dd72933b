/**
 * A lazy, re-iterable stream of samples. Every stage pulls from the one before, so at most a bounded number
 * of samples (map concurrency, shuffle buffer, batch/window size, prefetch depth) is alive at a time and a
 * dataset larger than memory streams through. Iterating a dataset again replays it from its source.
 */
import { Rng, checkPositiveInt, messageOf, mixSeed } from '@facelab/runtime';
import { WorkerPool } from './workers.js';
import { Windower, type SampleWindow, type WindowOptions } from './window.js';

/** A sample that `onError: 'skip'` dropped. */
export interface SkippedSample {
  /** Position of the sample in the stream that reached the failing stage. */
  index: number;
  /** The file (or sample description) it came from. */
  name: string;
  error: string;
}

/**
 * What a dataset pipeline skipped (`onError: 'skip'`), shared by every stage derived from one source; a zip
 * sees its inputs' reports too. Entries accumulate over iterations until {@link DatasetReport.clear}.
 */
export class DatasetReport {
  private readonly own: SkippedSample[] = [];

  /** A report that also lists what the `sources` reports list. */
  constructor(private readonly sources: readonly DatasetReport[] = []) {}

  /** Every skipped sample so far: the sources' first, then this pipeline's own. */
  get skipped(): SkippedSample[] {
    return [...this.sources.flatMap((r) => r.skipped), ...this.own];
  }

  /** Records a skipped sample. */
  add(sample: SkippedSample): void {
    this.own.push(sample);
  }

  /** Forgets every entry (also the sources'), e.g. at the start of an epoch. */
  clear(): void {
    this.own.length = 0;
    for (const r of this.sources) r.clear();
  }
}

/** Options of {@link Dataset.map} and {@link Dataset.mapInWorkers}. */
export interface MapOptions<T> {
  /** Calls of `fn` in flight at once (default 1); outputs keep the input order. */
  concurrency?: number;
  /** 'throw' (default): a failing sample fails the stream with an error naming it; 'skip': drop and report it. */
  onError?: 'throw' | 'skip';
  /** How a sample is named in errors; default: the sample itself if a string, else its `path`/`file`, else `#index`. */
  name?: (item: T, index: number) => string;
}

function defaultName(item: unknown, index: number): string {
  if (typeof item === 'string') return item;
  if (typeof item === 'object' && item !== null) {
    const o = item as { path?: unknown; file?: unknown };
    if (typeof o.path === 'string') return o.path;
    if (typeof o.file === 'string') return o.file;
  }
  return `#${index}`;
}

type Settled<U> = { ok: true; value: U } | { ok: false; error: unknown };

/** A lazy async-iterable pipeline of samples of type T. */
export class Dataset<T> implements AsyncIterable<T> {
  private constructor(
    private readonly source: () => AsyncIterable<T>,
    /** Samples skipped by `onError: 'skip'` stages of this pipeline. */
    readonly report: DatasetReport,
  ) {}

  /** A dataset over an array (not copied; iterate it again to replay). */
  static fromArray<T>(items: readonly T[]): Dataset<T> {
    return Dataset.fromGenerator(() => items);
  }

  /** A dataset over what `make()` returns; `make` is called once per iteration, so the dataset can be replayed. */
  static fromGenerator<T>(make: () => AsyncIterable<T> | Iterable<T>): Dataset<T> {
    return new Dataset(async function* () {
      yield* make();
    }, new DatasetReport());
  }

  /** Samples of several datasets side by side as tuples; stops at the shortest. Reports are merged into a new one. */
  static zip<A extends unknown[]>(...datasets: { [K in keyof A]: Dataset<A[K]> }): Dataset<A> {
    const parts = datasets as Dataset<unknown>[];
    return new Dataset(async function* () {
      const its = parts.map((d) => d[Symbol.asyncIterator]());
      try {
        for (;;) {
          const results = await Promise.all(its.map((it) => it.next()));
          if (results.some((r) => r.done)) return;
          yield results.map((r) => r.value) as A;
        }
      } finally {
        await Promise.all(its.map((it) => it.return?.()));
      }
    }, new DatasetReport(parts.map((d) => d.report)));
  }

  /** Iterates the samples. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.source()[Symbol.asyncIterator]();
  }

  private derive<U>(stage: (input: AsyncIterable<T>) => AsyncIterable<U>): Dataset<U> {
    return new Dataset(() => stage(this), this.report);
  }

  /**
   * Applies `fn` to every sample, up to `concurrency` calls at once, keeping the input order.
   * A failure throws `Dataset.map: sample '<name>' failed: …`, or with `onError: 'skip'` is listed in {@link report}.
   */
  map<U>(fn: (item: T, index: number) => U | Promise<U>, options: MapOptions<T> = {}): Dataset<U> {
    const concurrency = checkPositiveInt(options.concurrency ?? 1, 'Dataset.map concurrency');
    const name = options.name ?? defaultName;
    const report = this.report;
    return this.derive(async function* (input) {
      const it = input[Symbol.asyncIterator]();
      const inFlight: { item: T; index: number; result: Promise<Settled<U>> }[] = [];
      let index = 0;
      let ended = false;
      try {
        for (;;) {
          while (!ended && inFlight.length < concurrency) {
            const r = await it.next();
            if (r.done) {
              ended = true;
              break;
            }
            const item = r.value;
            const i = index++;
            const result = Promise.resolve()
              .then(() => fn(item, i))
              .then(
                (value): Settled<U> => ({ ok: true, value }),
                (error: unknown): Settled<U> => ({ ok: false, error }),
              );
            inFlight.push({ item, index: i, result });
          }
          const head = inFlight.shift();
          if (head === undefined) return;
          const r = await head.result;
          if (r.ok) {
            yield r.value;
          } else if (options.onError === 'skip') {
            report.add({ index: head.index, name: name(head.item, head.index), error: messageOf(r.error) });
          } else {
            const n = name(head.item, head.index);
            throw new Error(`Dataset.map: sample '${n}' failed: ${messageOf(r.error)}`, { cause: r.error });
          }
        }
      } finally {
        await it.return?.();
      }
    });
  }

  /**
   * Like {@link map}, but `fn` is the default export of the ES module at `modulePath`, run in `workers` worker
   * threads (for CPU-bound decoding). Inputs and outputs must be structured-cloneable; typed arrays in the
   * output (top level or one level down) are transferred, not copied.
   */
  mapInWorkers<U>(modulePath: string, options: MapOptions<T> & { workers?: number } = {}): Dataset<U> {
    const workers = checkPositiveInt(options.workers ?? 2, 'Dataset.mapInWorkers workers');
    const self = this;
    return new Dataset(async function* () {
      const pool = new WorkerPool(modulePath, workers);
      try {
        yield* self.map((item) => pool.run(item) as Promise<U>, {
          ...options,
          concurrency: options.concurrency ?? 2 * workers,
        });
      } finally {
        await pool.close();
      }
    }, this.report);
  }

  /** Keeps the samples for which `predicate` is true. */
  filter(predicate: (item: T) => boolean | Promise<boolean>): Dataset<T> {
    return this.derive(async function* (input) {
      for await (const item of input) if (await predicate(item)) yield item;
    });
  }

  /**
   * Buffered shuffle: holds `bufferSize` samples and emits a random one as each new sample arrives, so the
   * output is a permutation of the input. With a buffer at least the dataset's size it is uniform.
   * Iteration k of any dataset built with the same seed gives the same order; each new iteration reshuffles.
   */
  shuffle(bufferSize: number, seed: number): Dataset<T> {
    checkPositiveInt(bufferSize, 'Dataset.shuffle bufferSize');
    let epoch = 0;
    return this.derive(async function* (input) {
      const rng = new Rng(mixSeed(seed, epoch++));
      const buffer: T[] = [];
      for await (const item of input) {
        if (buffer.length < bufferSize) {
          buffer.push(item);
          continue;
        }
        const j = rng.int(bufferSize);
        yield buffer[j]!;
        buffer[j] = item;
      }
      rng.shuffle(buffer);
      yield* buffer;
    });
  }

  /** Groups consecutive samples into arrays of `size`; the short last batch is kept unless `dropRemainder`. */
  batch(size: number, options: { dropRemainder?: boolean } = {}): Dataset<T[]> {
    checkPositiveInt(size, 'Dataset.batch size');
    return this.derive(async function* (input) {
      let batch: T[] = [];
      for await (const item of input) {
        batch.push(item);
        if (batch.length === size) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0 && !options.dropRemainder) yield batch;
    });
  }

  /**
   * Sliding windows of `length` consecutive samples starting every `stride` samples (for CNN-RNN sequences).
   * Full windows have mask all 1; with `pad: 'mask'`, samples not covered by any full window form one last
   * window padded to `length`, whose mask is 1 on real samples and 0 on padding.
   */
  window(length: number, options: WindowOptions<T> = {}): Dataset<SampleWindow<T>> {
    const make = () => new Windower(length, options, 'Dataset.window');
    make(); // checks the arguments now, not at the first iteration
    return this.derive(async function* (input) {
      const windower = make();
      for await (const item of input) {
        const w = windower.push(item);
        if (w !== undefined) yield w;
      }
      const tail = windower.finish();
      if (tail !== undefined) yield tail;
    });
  }

  /**
   * Runs up to `depth` samples ahead of the consumer (the stages before overlap with the work after).
   * Order is unchanged.
   */
  prefetch(depth: number): Dataset<T> {
    checkPositiveInt(depth, 'Dataset.prefetch depth');
    return this.derive(async function* (input) {
      const it = input[Symbol.asyncIterator]();
      const ahead: Promise<IteratorResult<T>>[] = [];
      let ended = false;
      const request = (): void => {
        const p = it.next();
        p.then(
          (r) => {
            if (r.done) ended = true;
          },
          () => undefined, // the rejection is rethrown where it is awaited
        );
        ahead.push(p);
      };
      try {
        for (;;) {
          while (!ended && ahead.length < depth + 1) request();
          const r = await ahead.shift()!;
          if (r.done) return;
          yield r.value;
        }
      } finally {
        await it.return?.();
      }
    });
  }

  /** The first `n` samples. */
  take(n: number): Dataset<T> {
    if (!Number.isInteger(n) || n < 0) throw new Error(`Dataset.take count must be a non-negative integer, got ${n}`);
    return this.derive(async function* (input) {
      if (n === 0) return;
      let k = 0;
      for await (const item of input) {
        yield item;
        if (++k >= n) return;
      }
    });
  }

  /** All but the first `n` samples. */
  skip(n: number): Dataset<T> {
    if (!Number.isInteger(n) || n < 0) throw new Error(`Dataset.skip count must be a non-negative integer, got ${n}`);
    return this.derive(async function* (input) {
      let k = 0;
      for await (const item of input) if (k++ >= n) yield item;
    });
  }

  /** Collects every sample into an array (only for datasets that fit in memory). */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this) out.push(item);
    return out;
  }
}
