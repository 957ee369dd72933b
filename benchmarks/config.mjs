/**
 * The benchmarks' configuration: the only module of the benchmarks that reads the environment.
 *
 * - `BENCH_<OPTION>` overrides option `<option>` of the suites run (camelCase → UPPER_SNAKE: `reps` ←
 *   `BENCH_REPS`, `modelBackends` ← `BENCH_MODEL_BACKENDS`). A number option takes a number, a list option a
 *   comma-separated list, a string option the string. Each suite lists its options and defaults in BENCHMARKS.md.
 * - `BENCH_PYTHON` (default `/usr/bin/python3`, the Python of Debian's python3-torch) runs the peers.
 * - `BENCH_OPENBLAS_DIR` (default `~/.cache/facelab/openblas/root/usr/lib/x86_64-linux-gnu/openblas-pthread`,
 *   where `peers/setup-openblas.sh` unpacks it): the OpenBLAS the PyTorch peer loads first; see README.md.
 * - `FACELAB_QUIET` (default `1` here): the backend log line of @facelab/core-tensor, off for benchmarks.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

process.env.FACELAB_QUIET ??= '1';

/** The Python that runs the peers. */
export const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

/** Where the PyTorch peer's OpenBLAS is looked for. */
export const OPENBLAS_DIR = process.env.BENCH_OPENBLAS_DIR ?? join(homedir(), '.cache/facelab/openblas/root/usr/lib/x86_64-linux-gnu/openblas-pthread');

/** The environment variable that overrides option `name`. */
export function optionVariable(name) {
  return `BENCH_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** A suite's options: its defaults, each overridden by its BENCH_* variable, then by `overrides` (a child run's). */
export function suiteOptions(defaults, overrides = {}) {
  const options = { ...defaults };
  for (const [name, value] of Object.entries(defaults)) {
    const raw = process.env[optionVariable(name)];
    if (raw === undefined || raw === '') continue;
    if (Array.isArray(value)) options[name] = raw.split(',').filter(Boolean);
    else if (typeof value === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new Error(`${optionVariable(name)} must be a number, got '${raw}'`);
      options[name] = n;
    } else options[name] = raw;
  }
  return { ...options, ...overrides };
}

/** The environment a spawned process inherits, with `set` set and each `prepend` folder first on its path variable. */
export function childEnv(set = {}, prepend = {}) {
  const env = { ...process.env, ...set };
  for (const [name, dir] of Object.entries(prepend)) env[name] = [dir, process.env[name]].filter(Boolean).join(':');
  return env;
}
