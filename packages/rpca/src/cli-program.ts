/** The facelab-rpca command line (kept apart from the bin entry so tests can run it in-process). */
import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import {
  Option,
  UsageError,
  createProgram,
  jsonOption,
  outOption,
  parsePath,
  printResult,
  type Command,
} from '@facelab/runtime';
import type { Matrix } from 'ml-matrix';
import { readMatrixCsv, readMatrixSource, writeColumnImage, writeMatrixCsv } from './data/matrix-io.js';
import { pcp, pcpf, pcps, pcpsf } from './model/solvers.js';
import { addUvCompleteCommand } from './cli-uv.js';
import { addSolverOptions } from './cli-solver-options.js';
import type { RpcaProgress, RpcaResult, RpcaSideOptions } from './model/types.js';

const METHODS = ['pcp', 'pcpf', 'pcps', 'pcpsf'] as const;
type Method = (typeof METHODS)[number];

/** One progress line, rewritten in place on a terminal. */
function progressLine(): (p: RpcaProgress) => void {
  const tty = process.stderr.isTTY;
  return (p) => {
    const line = `iteration ${p.iteration}  residual ${p.residual.toExponential(2)}  dual ${p.dualResidual.toExponential(2)}  rank ${p.rank}`;
    if (tty) process.stderr.write(`\r${line}\x1b[K`);
    else if (p.iteration % 10 === 0 || p.residual < 1e-6) process.stderr.write(`${line}\n`);
  };
}

/** Mask images: white (> 0.5) = observed. */
function binarize(A: Matrix): Matrix {
  return A.clone().apply(function (this: Matrix, i: number, j: number) {
    this.set(i, j, this.get(i, j) > 0.5 ? 1 : 0);
  });
}

async function matrixArg(path: string | undefined, flag: string, method: Method): Promise<Matrix> {
  if (!path) throw new UsageError(`--method ${method} needs ${flag} <file.csv | folder>`);
  return (await readMatrixSource(path)).M;
}

/** What `decompose` prints (as text, or as JSON with --json). */
interface DecomposeSummary {
  method: Method;
  converged: boolean;
  iterations: number;
  seconds: number;
  rank: number;
  objective: number;
  residual: number | undefined;
  dualResidual: number | undefined;
  out: string;
}

async function decompose(opts: {
  input: string;
  out: string;
  method: Method;
  lambda?: number | 'observed';
  alpha?: number;
  mask?: string;
  prior?: string;
  rowFeatures?: string;
  colFeatures?: string;
  tol: number;
  tolDual: number;
  maxIter: number;
}): Promise<DecomposeSummary> {
  const src = await readMatrixSource(opts.input);
  const options: RpcaSideOptions = { lambda: opts.lambda, alpha: opts.alpha, tol: opts.tol, tolDual: opts.tolDual, maxIter: opts.maxIter, onIteration: progressLine() };
  if (opts.mask) options.mask = extname(opts.mask) === '.csv' ? await readMatrixCsv(opts.mask) : binarize((await readMatrixSource(opts.mask)).M);
  let res: RpcaResult;
  const started = Date.now();
  switch (opts.method) {
    case 'pcp':
      res = pcp(src.M, options);
      break;
    case 'pcpf':
      res = pcpf(src.M, await matrixArg(opts.rowFeatures, '--row-features', 'pcpf'), await matrixArg(opts.colFeatures, '--col-features', 'pcpf'), options);
      break;
    case 'pcps':
      res = pcps(src.M, await matrixArg(opts.prior, '--prior', 'pcps'), options);
      break;
    case 'pcpsf':
      res = pcpsf(
        src.M,
        await matrixArg(opts.prior, '--prior', 'pcpsf'),
        await matrixArg(opts.rowFeatures, '--row-features', 'pcpsf'),
        await matrixArg(opts.colFeatures, '--col-features', 'pcpsf'),
        options,
      );
      break;
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  await mkdir(opts.out, { recursive: true });
  if (src.images) {
    const { names, ...size } = src.images;
    for (const [part, A] of [['L', res.L], ['S', res.S.clone().add(0.5)]] as const) {
      await mkdir(join(opts.out, part), { recursive: true });
      for (let j = 0; j < names.length; j++) {
        await writeColumnImage(join(opts.out, part, `${basename(names[j]!, extname(names[j]!))}.png`), A, j, size);
      }
    }
  } else {
    await writeMatrixCsv(join(opts.out, 'L.csv'), res.L);
    await writeMatrixCsv(join(opts.out, 'S.csv'), res.S);
  }
  return {
    method: opts.method,
    converged: res.converged,
    iterations: res.iterations,
    seconds: (Date.now() - started) / 1000,
    rank: res.rank,
    objective: res.objective,
    residual: res.history.at(-1),
    dualResidual: res.dualHistory.at(-1),
    out: opts.out,
  };
}

const summaryLine = (r: DecomposeSummary) =>
  `${r.method}: ${r.converged ? 'converged' : 'NOT converged'} in ${r.iterations} iterations (${r.seconds.toFixed(1)} s), rank ${r.rank}, ` +
  `objective ${r.objective.toPrecision(8)}, residual ${r.residual?.toExponential(2)} (dual ${r.dualResidual?.toExponential(2)}); ` +
  `wrote L and S to ${r.out}`;

/** The `facelab-rpca` program; src/cli.ts runs it with runProgram. */
export function rpcaCliProgram(): Command {
  const program = createProgram({
    name: 'facelab-rpca',
    description: 'Robust PCA with side information and missing values (Xue et al. 2018)',
    moduleUrl: import.meta.url,
  });
  const existing = parsePath();
  const decomposeCommand = program
    .command('decompose')
    .description('split a data matrix M into low-rank L and sparse S (a folder of images is stacked as columns, grey, in [0, 1])')
    .requiredOption('--input <path>', 'a folder of PNG/JPEG images of one size, or a .csv matrix (no header)', existing)
    .addOption(outOption('output folder: L/ and S/ images (S shown as 0.5 + S) or L.csv and S.csv'))
    .addOption(new Option('--method <name>', 'solver').choices(METHODS).default('pcp'))
    .option('--mask <path>', 'observed entries (1) as a .csv matrix or images of the same layout (white = observed)', existing)
    .option('--prior <path>', 'side information N for pcps/pcpsf (same layout as --input)', existing)
    .option('--row-features <csv>', 'X for pcpf/pcpsf: m×d1 row-space features', existing)
    .option('--col-features <csv>', 'Y for pcpf/pcpsf: n×d2 column-space features', existing);
  addSolverOptions(decomposeCommand, { tol: 1e-7, tolDual: 1e-4, maxIter: 1000 })
    .addOption(jsonOption())
    .action(async (opts, cmd: Command) => {
      printResult(cmd, await decompose(opts), summaryLine);
    });
  addUvCompleteCommand(program);
  return program;
}
