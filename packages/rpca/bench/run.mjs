// pcp (inexact ALM, partial SVD) against a numpy inexact-ALM with full LAPACK SVD on the same Candès problems,
// run as a subprocess in the same run. Usage: node bench/run.mjs [n ...]   (default 500 1000 2000)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { candesProblem, pcp, relativeError } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const sizes = process.argv.slice(2).map(Number);
const work = mkdtempSync(join(tmpdir(), 'rpca-bench-'));

function toFile(matrix, path) {
  const buf = new Float64Array(matrix.rows * matrix.columns);
  for (let i = 0; i < matrix.rows; i++) buf.set(matrix.getRow(i), i * matrix.columns);
  writeFileSync(path, Buffer.from(buf.buffer));
}

const rows = [];
try {
  for (const n of sizes.length ? sizes : [500, 1000, 2000]) {
    const rank = Math.round(0.05 * n);
    const P = candesProblem({ m: n, rank, corruption: 0.05, seed: 7 });
    const t = performance.now();
    const r = pcp(P.M);
    const ours = (performance.now() - t) / 1000;
    const err = relativeError(r.L, P.L0);
    console.log(`n = ${n}: rpca ${ours.toFixed(2)} s, ${r.iterations} iterations, rank ${r.rank}, relErr ${err.toExponential(2)}; running numpy...`);
    toFile(P.M, join(work, 'M.f64'));
    toFile(P.L0, join(work, 'L0.f64'));
    const out = execFileSync('/usr/bin/python3', [join(here, 'ialm_numpy.py'), join(work, 'M.f64'), join(work, 'L0.f64'), String(n), String(n)], { encoding: 'utf8' });
    const ref = JSON.parse(out.trim().split('\n').pop());
    const row = {
      n, rank, corruption: 0.05,
      'rpca s': ours.toFixed(2), 'numpy s': ref.seconds.toFixed(2), 'numpy/rpca': (ref.seconds / ours).toFixed(2),
      'rpca iters': r.iterations, 'numpy iters': ref.iterations, 'rpca rank': r.rank, 'numpy rank': ref.rank,
      'rpca relErr': err.toExponential(2), 'numpy relErr': ref.relErr.toExponential(2),
      // Timings on the 2-core machine mean little when other jobs run: keep the 1-minute load with every row.
      load: loadavg()[0].toFixed(2),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.table(rows);
