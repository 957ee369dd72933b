/** The JSONL training log: one JSON object per line, one line per step, appended as training goes. */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { writeFileAtomic } from '@facelab/runtime';

/** One step's line in the training log. */
export interface StepRecord {
  /** Steps done after this one (1-based). */
  step: number;
  /** The epoch this step belonged to (0-based). */
  epoch: number;
  loss: number;
  /** Learning rate of the single optimizer, or per optimizer name. */
  lr: number | Record<string, number>;
  /** Seconds of training since the run first started (resumed runs continue the count). */
  time: number;
  metrics: Record<string, number>;
  /** Validation results when validation ran after this step. */
  val?: Record<string, number>;
}

/**
 * Parses a JSONL file; a bad line is an Error naming the file and line number. A last line without its newline
 * that does not parse is a line torn by a crash mid-write (the writer ends every line with a newline): it is
 * dropped, not an error.
 */
export function readJsonl<T = StepRecord>(path: string): T[] {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const out: T[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line) as T);
    } catch (err) {
      if (i === lines.length - 1) return; // torn: the only line not followed by a newline
      throw new Error(`${path}:${i + 1}: not valid JSON: ${(err as Error).message}`);
    }
  });
  return out;
}

/** An append-only JSONL writer; each line goes straight to the file, so a crash loses at most the current line. */
export class JsonlLog {
  private fd: number | undefined;

  private constructor(readonly path: string, fd: number) {
    this.fd = fd;
  }

  /**
   * Opens `path` for appending. `keepUpToStep` keeps the lines with step ≤ it (a resumed run drops the lines a
   * killed run wrote after its last checkpoint); undefined starts an empty log.
   */
  static async open(path: string, keepUpToStep?: number): Promise<JsonlLog> {
    const kept =
      keepUpToStep !== undefined && existsSync(path)
        ? readJsonl<{ step: number }>(path).filter((r) => r.step <= keepUpToStep)
        : [];
    await writeFileAtomic(path, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return new JsonlLog(path, openSync(path, 'a'));
  }

  /** Appends one record as a line. */
  append(record: object): void {
    if (this.fd === undefined) throw new Error(`JsonlLog '${this.path}' is closed`);
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  /** Closes the file (idempotent). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
