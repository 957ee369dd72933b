/**
 * The peer environment: Python scripts in peers/ that time the same work in PyTorch or numpy, run as
 * subprocesses in the same benchmark run. A fair PyTorch peer uses 2 threads, channels_last convolutions and
 * OpenBLAS (Debian's python3-torch links the reference BLAS): peers/setup-openblas.sh unpacks OpenBLAS once
 * into a cache outside the repository, and the peer finds it first on LD_LIBRARY_PATH. README.md has the steps.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPENBLAS_DIR, PYTHON, childEnv } from './config.mjs';

const PEERS = join(dirname(fileURLToPath(import.meta.url)), 'peers');
let torch;

/** How to get the PyTorch peer: the one line printed when it is missing. */
export const TORCH_INSTALL = `apt-get install python3-torch (Debian/Ubuntu; or set BENCH_PYTHON to a Python that has torch)`;

/**
 * Why the peers' Python cannot run the PyTorch peer (no such Python, or no torch in it), or undefined when it
 * can. Asked once per process.
 */
export function torchMissing() {
  if (torch === undefined) {
    const res = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
    torch = res.error
      ? `${PYTHON} not found (${res.error.code ?? res.error.message})`
      : res.status === 0
        ? null
        : `${PYTHON} has no torch (${(res.stderr ?? '').trim().split('\n').pop()})`;
  }
  return torch ?? undefined;
}


/** Whether the PyTorch peer runs on OpenBLAS (set up by peers/setup-openblas.sh). */
export function hasOpenblas() {
  return existsSync(join(OPENBLAS_DIR, 'libblas.so.3'));
}

/**
 * Runs peer `script` (a file in peers/) with `args` and returns the JSON object its last stdout line prints,
 * with `openblas` added; undefined (after a note on stderr) when a torch peer finds no torch or the peer fails.
 */
export function runPeer(script, args = [], { timeoutMs = 1_800_000 } = {}) {
  const missing = script.startsWith('torch_') ? torchMissing() : undefined;
  if (missing) {
    console.error(`  ${script}: PyTorch peer skipped: ${missing}; to compare with PyTorch: ${TORCH_INSTALL}`);
    return undefined;
  }
  const openblas = hasOpenblas();
  if (script.startsWith('torch_') && !openblas) console.error(`  ${script}: no OpenBLAS at ${OPENBLAS_DIR} (run benchmarks/peers/setup-openblas.sh)`);
  const env = childEnv({}, { PYTHONPATH: PEERS, ...(openblas ? { LD_LIBRARY_PATH: OPENBLAS_DIR } : {}) });
  const res = spawnSync(PYTHON, [join(PEERS, script), ...args.map(String)], { env, encoding: 'utf8', timeout: timeoutMs });
  if (res.status !== 0) {
    console.error(`  ${script} failed: ${(res.stderr ?? String(res.error)).split('\n').slice(-3).join(' ')}`);
    return undefined;
  }
  return { ...JSON.parse(res.stdout.trim().split('\n').pop()), openblas };
}
