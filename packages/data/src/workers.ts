/**
 * A small worker-thread pool behind {@link Dataset.mapInWorkers}: each worker imports one ES module and runs
 * its default export on the inputs it is sent. Tasks go to the least-busy worker.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

// Runs inside each worker (CommonJS eval script; dynamic import() loads the user's ES module).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const buffers = (v) => {
  const out = [];
  // Only views that own their whole buffer move: small Node Buffers are slices of a shared pool.
  const add = (x) => {
    if (ArrayBuffer.isView(x) && x.buffer instanceof ArrayBuffer && x.byteOffset === 0 &&
        x.byteLength === x.buffer.byteLength && !out.includes(x.buffer)) out.push(x.buffer);
  };
  add(v);
  if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) for (const x of Object.values(v)) add(x);
  return out;
};
import(workerData.url).then((mod) => {
  const fn = typeof mod.default === 'function' ? mod.default : undefined;
  parentPort.on('message', async ({ id, input }) => {
    try {
      if (fn === undefined) throw new Error(workerData.url + ' has no default-exported function');
      const output = await fn(input);
      try {
        parentPort.postMessage({ id, ok: true, output }, buffers(output));
      } catch {
        parentPort.postMessage({ id, ok: true, output }); // e.g. an untransferable buffer: copy instead
      }
    } catch (err) {
      parentPort.postMessage({ id, ok: false, error: err && err.message ? err.message : String(err) });
    }
  });
}, (err) => { throw err; });
`;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** A fixed set of workers each running the default export of `modulePath`. */
export class WorkerPool {
  private readonly workers: { worker: Worker; busy: number }[] = [];
  private readonly pending = new Map<number, Pending & { slot: { busy: number } }>();
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;

  constructor(modulePath: string, count: number) {
    const url = pathToFileURL(isAbsolute(modulePath) ? modulePath : resolve(modulePath)).href;
    for (let i = 0; i < count; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { url } });
      const slot = { worker, busy: 0 };
      worker.on('message', (msg: { id: number; ok: boolean; output?: unknown; error?: string }) => {
        const p = this.pending.get(msg.id);
        if (p === undefined) return;
        this.pending.delete(msg.id);
        slot.busy--;
        if (msg.ok) p.resolve(msg.output);
        else p.reject(new Error(msg.error));
      });
      worker.on('error', (err) => this.fail(new Error(`worker for ${modulePath} crashed: ${err.message}`, { cause: err })));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`worker for ${modulePath} exited (code ${code}) with work pending`));
      });
      this.workers.push(slot);
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /** Runs the module's function on `input` in the least-busy worker. */
  run(input: unknown): Promise<unknown> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, slot });
      slot.worker.postMessage({ id, input });
    });
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
