/**
 * rpca suite `pcp`: pcp (inexact ALM, partial SVD) against a numpy inexact ALM with full LAPACK SVD (peer
 * numpy_ialm.py) on the same Candès problems (rank 5 % of n, 5 % corruption, seed 7), in the same run.
 * Options: `sizes` (the n of the n×n problems).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes `matrix` row-major as raw float64. */
function toFile(matrix, path) {
  const buf = new Float64Array(matrix.rows * matrix.columns);
  for (let i = 0; i < matrix.rows; i++) buf.set(matrix.getRow(i), i * matrix.columns);
  writeFileSync(path, Buffer.from(buf.buffer));
}

export default {
  name: 'pcp',
  title: 'pcp against numpy inexact ALM',
  options: { sizes: ['500', '1000', '2000'] },
  quick: { sizes: ['100'] },
  async run({ options, runPeer }) {
    const { candesProblem, pcp, relativeError } = await import('@facelab/rpca');
    const work = mkdtempSync(join(tmpdir(), 'rpca-bench-'));
    const rows = [];
    try {
      for (const n of options.sizes.map(Number)) {
        const rank = Math.round(0.05 * n);
        const P = candesProblem({ m: n, rank, corruption: 0.05, seed: 7 });
        const t = performance.now();
        const r = pcp(P.M);
        const seconds = (performance.now() - t) / 1000;
        const relErr = relativeError(r.L, P.L0);
        console.error(`n = ${n}: rpca ${seconds.toFixed(2)} s, ${r.iterations} iterations, rank ${r.rank}, relErr ${relErr.toExponential(2)}; running numpy...`);
        toFile(P.M, join(work, 'M.f64'));
        toFile(P.L0, join(work, 'L0.f64'));
        const numpy = runPeer('numpy_ialm.py', [join(work, 'M.f64'), join(work, 'L0.f64'), n, n]);
        // Timings on the 2-core machine mean little when other jobs run: keep the 1-minute load with every row.
        rows.push({ n, rank, corruption: 0.05, rpca: { seconds, iterations: r.iterations, rank: r.rank, relErr }, numpy, load: loadavg()[0] });
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    return { date: new Date().toISOString(), rows };
  },
  report(results) {
    const f = (v, d) => (v === undefined ? '—' : v.toFixed(d));
    return [
      `${results.date.slice(0, 10)}; numpy with the machine's default BLAS configuration.`,
      '',
      '| n | rank | rpca s | numpy s | numpy / rpca | iterations rpca / numpy | rank rpca / numpy | relErr rpca / numpy | load |',
      '|---:|---:|---:|---:|---:|---|---|---|---:|',
      ...results.rows.map(
        (r) =>
          `| ${r.n} | ${r.rank} | ${f(r.rpca.seconds, 2)} | ${f(r.numpy?.seconds, 2)} | ${f(r.numpy && r.numpy.seconds / r.rpca.seconds, 2)} | ` +
          `${r.rpca.iterations} / ${r.numpy?.iterations ?? '—'} | ${r.rpca.rank} / ${r.numpy?.rank ?? '—'} | ` +
          `${r.rpca.relErr.toExponential(2)} / ${r.numpy?.relErr.toExponential(2) ?? '—'} | ${r.load.toFixed(2)} |`,
      ),
    ].join('\n');
  },
};
