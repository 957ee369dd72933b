/** `facelab-rpca uv-complete`: completes a clip's UV maps (a folder of RGBA PNGs) with pcp, pcps or pcpsf. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, UsageError, jsonOption, outOption, parseInteger, parsePath, printResult, type Command } from '@facelab/runtime';
import { addSolverOptions } from './cli-solver-options.js';
import { UV_METHODS, completeUv, type UvMethod } from './uv/complete.js';
import { readUvFolder, writeUvTexture, type UvFolder } from './uv/io.js';
import { uvSubspace, uvSupport } from './uv/matrix.js';

/** What `uv-complete` prints (as text, or as JSON with --json). */
interface UvCompleteSummary {
  method: UvMethod;
  frames: number;
  size: number;
  /** Fraction of support texels missing over all frames. */
  missing: number;
  converged: boolean;
  iterations: number;
  rank: number;
  seconds: number;
  out: string;
}

function sameNames(a: UvFolder, b: UvFolder, flag: string): void {
  const j = a.names.findIndex((n, i) => b.names[i] !== n);
  if (a.names.length !== b.names.length || j >= 0) {
    throw new UsageError(`${flag} must hold one map per --input map with the same names (${a.names.length} vs ${b.names.length} maps${j >= 0 ? `; '${a.names[j]}' has no match` : ''})`);
  }
}

async function uvComplete(opts: {
  input: string;
  out: string;
  method: UvMethod;
  prior?: string;
  subspace?: string;
  rank?: number;
  lambda?: number | 'observed';
  alpha?: number;
  tol: number;
  tolDual: number;
  maxIter: number;
}): Promise<UvCompleteSummary> {
  const input = await readUvFolder(opts.input, '--input');
  const support = uvSupport(input.textures);
  let prior: UvFolder | undefined;
  if (opts.method !== 'pcp') {
    if (!opts.prior) throw new UsageError(`--method ${opts.method} needs --prior <folder> (one complete UV map per frame, same names)`);
    prior = await readUvFolder(opts.prior, '--prior');
    sameNames(input, prior, '--prior');
  }
  let X;
  if (opts.method === 'pcpsf') {
    const basis = opts.subspace ? (await readUvFolder(opts.subspace, '--subspace')).textures : prior!.textures;
    if (basis[0]!.size !== support.size) throw new UsageError(`--subspace maps are ${basis[0]!.size}×${basis[0]!.size} but --input maps are ${support.size}×${support.size}`);
    const rank = opts.rank ?? Math.min(20, basis.length - 1);
    if (rank < 1) throw new UsageError('--method pcpsf needs at least 2 --subspace (or --prior) maps for a subspace');
    X = uvSubspace(basis.map((t) => ({ ...t, mask: support.mask })), support, rank);
  }
  const started = Date.now();
  const r = completeUv(input.textures, opts.method, {
    support,
    prior: prior?.textures,
    subspace: X,
    lambda: opts.lambda,
    alpha: opts.alpha,
    tol: opts.tol,
    tolDual: opts.tolDual,
    maxIter: opts.maxIter,
  });
  const seconds = (Date.now() - started) / 1000;
  await mkdir(opts.out, { recursive: true });
  for (let j = 0; j < input.names.length; j++) await writeUvTexture(join(opts.out, input.names[j]!), r.textures[j]!);
  let missing = 0;
  for (const t of input.textures) for (const texel of support.texels) missing += 1 - t.mask[texel]!;
  return {
    method: opts.method,
    frames: input.names.length,
    size: support.size,
    missing: missing / (support.texels.length * input.names.length),
    converged: r.result.converged,
    iterations: r.result.iterations,
    rank: r.result.rank,
    seconds,
    out: opts.out,
  };
}

const summaryLine = (s: UvCompleteSummary) =>
  `${s.method}: ${s.frames} UV maps of ${s.size}×${s.size}, ${(100 * s.missing).toFixed(1)} % of support texels missing; ` +
  `${s.converged ? 'converged' : 'NOT converged'} in ${s.iterations} iterations (${s.seconds.toFixed(1)} s), rank ${s.rank}; wrote ${s.out}`;

/** Adds the `uv-complete` command to the facelab-rpca program. */
export function addUvCompleteCommand(program: Command): void {
  const existing = parsePath();
  const command = program
    .command('uv-complete')
    .description("complete a clip's UV maps (RGBA PNGs, alpha < 128 = missing texel) as the columns of a low-rank matrix")
    .requiredOption('--input <folder>', 'the incomplete UV maps, one square RGBA PNG per frame (sorted by name)', existing)
    .addOption(outOption('output folder: the completed maps under the input names (alpha 255 on the texels seen in any frame)'))
    .addOption(new Option('--method <name>', 'solver').choices(UV_METHODS).default('pcp'))
    .option('--prior <folder>', 'side information N for pcps/pcpsf: one complete UV map per frame, same names (e.g. a GAN\'s completions)', existing)
    .option('--subspace <folder>', 'complete UV maps whose mean and principal directions give X for pcpsf (default: the --prior maps)', existing)
    .option('--rank <k>', 'principal directions in X (default min(20, maps − 1))', parseInteger(1));
  addSolverOptions(command, { tol: 1e-5, tolDual: Infinity, maxIter: 500 })
    .addOption(jsonOption())
    .action(async (opts, cmd: Command) => {
      printResult(cmd, await uvComplete(opts), summaryLine);
    });
}
