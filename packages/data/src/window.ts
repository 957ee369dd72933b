/**
 * Windowing of a sample sequence (for CNN-RNN sequences): windows of `length` consecutive samples starting
 * every `stride` samples, with a 1/0 mask marking real (1) and padded (0) positions. One implementation serves
 * streams ({@link Dataset.window}) and arrays ({@link windowArray}).
 */
import { checkPositiveInt } from '@facelab/runtime';

/** Options of {@link Dataset.window} and {@link windowArray}. */
export interface WindowOptions<T> {
  /** Step between window starts (default: the window length, i.e. no overlap). */
  stride?: number;
  /** 'drop' (default): a short tail is dropped; 'mask': it becomes one last window, padded, with mask 0 on the padding. */
  pad?: 'drop' | 'mask';
  /** The padding sample (default: the tail's last sample repeated). */
  padValue?: T;
}

/** A window of consecutive samples with a 1/0 mask marking real (1) and padded (0) positions. */
export interface SampleWindow<T> {
  items: T[];
  mask: number[];
}

/**
 * Cuts samples pushed one at a time into windows. Full windows have mask all 1; with `pad: 'mask'`, samples
 * not covered by any full window form one last window (from {@link Windower.finish}) padded to `length`.
 */
export class Windower<T> {
  private readonly stride: number;
  private buf: T[] = []; // samples from index `start` on
  private start = 0;
  private seen = 0;
  private coveredEnd = 0; // one past the last sample inside an emitted window

  /** A windower; `what` names the caller in argument errors (e.g. 'Dataset.window'). */
  constructor(
    private readonly length: number,
    private readonly options: WindowOptions<T> = {},
    what = 'windowArray',
  ) {
    checkPositiveInt(length, `${what} length`);
    this.stride = checkPositiveInt(options.stride ?? length, `${what} stride`);
  }

  /** Takes the next sample; returns the window it completes, if any. */
  push(item: T): SampleWindow<T> | undefined {
    if (this.seen++ >= this.start) this.buf.push(item);
    if (this.buf.length < this.length) return undefined;
    const window = { items: this.buf.slice(), mask: new Array<number>(this.length).fill(1) };
    this.coveredEnd = this.start + this.length;
    this.start += this.stride;
    this.buf = this.buf.slice(Math.min(this.stride, this.length));
    return window;
  }

  /** After the last sample: the padded tail window (with `pad: 'mask'` and uncovered samples), else undefined. */
  finish(): SampleWindow<T> | undefined {
    const buf = this.buf;
    if (this.options.pad !== 'mask' || this.seen <= this.coveredEnd || buf.length === 0) return undefined;
    const fill = 'padValue' in this.options ? (this.options.padValue as T) : buf[buf.length - 1]!;
    const mask = new Array<number>(this.length).fill(0).fill(1, 0, buf.length);
    const items = buf.slice();
    while (items.length < this.length) items.push(fill);
    return { items, mask };
  }
}

/** The windows of an array of samples (see {@link Windower}). */
export function windowArray<T>(items: Iterable<T>, length: number, options: WindowOptions<T> = {}): SampleWindow<T>[] {
  const windower = new Windower(length, options);
  const out: SampleWindow<T>[] = [];
  for (const item of items) {
    const w = windower.push(item);
    if (w !== undefined) out.push(w);
  }
  const tail = windower.finish();
  if (tail !== undefined) out.push(tail);
  return out;
}
