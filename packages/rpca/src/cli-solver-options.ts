/** The solver flags every facelab-rpca command shares (--lambda, --alpha, --tol, --tol-dual, --max-iter). */
import { parseInteger, parseNumber, type Command } from '@facelab/runtime';

/** Adds the shared solver flags to `command` with the command's stopping defaults; returns it. */
export function addSolverOptions(command: Command, defaults: { tol: number; tolDual: number; maxIter: number }): Command {
  return command
    .option('--lambda <x>', "weight of ‖S‖₁ (default 1/√max(m, n)); 'observed': 1/√(observed fraction · max(m, n))", (v: string) =>
      v === 'observed' ? v : parseNumber(0)(v),
    )
    .option('--alpha <x>', 'weight of ‖L − N‖* for pcps/pcpsf (default 1)', parseNumber(0))
    .option('--tol <x>', 'stop when the relative primal residual is below this...', parseNumber(0), defaults.tol)
    .option('--tol-dual <x>', `...and the relative dual residual below this${defaults.tolDual === Infinity ? ' (default: the primal residual alone)' : ''}`, parseNumber(0), defaults.tolDual)
    .option('--max-iter <n>', 'iteration limit', parseInteger(1), defaults.maxIter);
}
