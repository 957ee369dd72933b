/**
 * Training progress: a cli-progress bar on a terminal; plain periodic lines when the stream is not a TTY
 * (CI logs, pipes), where control codes would only be noise.
 */
import cliProgress from 'cli-progress';

/** The values shown after the step counter: loss, learning rate and any metrics. */
export type ProgressValues = Record<string, number | undefined>;

/** Options of {@link TrainingProgress}. */
export interface TrainingProgressOptions {
  /** Total number of steps (the bar's 100 %). */
  total: number;
  /** A prefix such as the model name. */
  label?: string;
  /** Where to draw (default process.stderr, so stdout stays clean for results). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Force bar (true) or plain lines (false); default: the stream's isTTY. */
  tty?: boolean;
  /** Plain mode: print at most one line per this many ms (default 5000); the last step always prints. */
  intervalMs?: number;
  /** Clock in ms (tests inject one). */
  now?: () => number;
}

function formatNumber(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(3) : x.toPrecision(4);
}

/** Formats seconds as h:mm:ss or m:ss. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** `name=value` pairs in insertion order, skipping undefined values. */
export function formatProgressValues(values: ProgressValues): string {
  return Object.entries(values)
    .filter((e): e is [string, number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${formatNumber(v)}`)
    .join(' ');
}

/** A progress display for a run of `total` steps showing step/total, values, rate (steps/s) and ETA. */
export class TrainingProgress {
  private readonly opts: Required<Omit<TrainingProgressOptions, 'label'>> & { label: string };
  private readonly bar: cliProgress.SingleBar | undefined;
  private startTime = 0;
  private startStep = 0;
  private lastLine = -Infinity;
  private lastStep = 0;

  /** Creates the display; nothing is drawn before {@link start}. */
  constructor(options: TrainingProgressOptions) {
    if (!Number.isInteger(options.total) || options.total < 0) {
      throw new Error(`TrainingProgress: total must be a non-negative integer, got ${options.total}`);
    }
    const stream = options.stream ?? process.stderr;
    this.opts = {
      total: options.total,
      label: options.label ?? 'train',
      stream,
      tty: options.tty ?? stream.isTTY === true,
      intervalMs: options.intervalMs ?? 5000,
      now: options.now ?? (() => performance.now()),
    };
    if (this.opts.tty) {
      this.bar = new cliProgress.SingleBar(
        {
          format: `${this.opts.label} {bar} {value}/{total} | {values} | {rate} step/s | ETA {eta}`,
          stream: stream as NodeJS.WritableStream,
          hideCursor: true,
          barsize: 24,
          fps: 10,
        },
        cliProgress.Presets.shades_classic,
      );
    }
  }

  /** Starts the clock at `step` (non-zero when resuming, so the rate counts only this session's steps). */
  start(step = 0): void {
    this.startTime = this.opts.now();
    this.startStep = step;
    this.lastStep = step;
    this.bar?.start(this.opts.total, step, { values: '', rate: '-', eta: '--:--' });
  }

  /** Steps per second since {@link start}, and the estimated seconds left. */
  timing(step: number): { rate: number; etaSeconds: number } {
    const seconds = (this.opts.now() - this.startTime) / 1000;
    const done = step - this.startStep;
    const rate = seconds > 0 ? done / seconds : 0;
    return { rate, etaSeconds: rate > 0 ? (this.opts.total - step) / rate : Infinity };
  }

  /** Reports that `step` steps are done, with the latest values. */
  update(step: number, values: ProgressValues = {}): void {
    this.lastStep = step;
    const { rate, etaSeconds } = this.timing(step);
    const shown = formatProgressValues(values);
    if (this.bar) {
      this.bar.update(step, { values: shown, rate: rate.toFixed(2), eta: formatDuration(etaSeconds) });
      return;
    }
    const t = this.opts.now();
    if (t - this.lastLine < this.opts.intervalMs && step < this.opts.total) return;
    this.lastLine = t;
    const line = `${this.opts.label} step ${step}/${this.opts.total}${shown ? ` ${shown}` : ''} ` +
      `${rate.toFixed(2)} step/s ETA ${formatDuration(etaSeconds)}`;
    this.opts.stream.write(`${line}\n`);
  }

  /** Stops the bar (and restores the cursor); prints a final line in plain mode. */
  stop(): void {
    if (this.bar) {
      this.bar.stop();
      return;
    }
    const { rate } = this.timing(this.lastStep);
    this.opts.stream.write(`${this.opts.label} done ${this.lastStep}/${this.opts.total} ${rate.toFixed(2)} step/s\n`);
  }
}
