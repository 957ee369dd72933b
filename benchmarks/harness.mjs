/**
 * The benchmark harness. A package registers suites by placing `bench/<suite>.bench.mjs` files that default-export
 *
 *   { name, title, options, run(ctx) → results, report(results) → markdown }
 *
 * `options` are the defaults (each overridable by its BENCH_* variable, see config.mjs); `run` imports what it
 * measures itself (the package's built dist, by package name) and returns a JSON-able results object; `ctx` is
 * { options, child, measure, runPeer(script, args), runChild(set, overrides) } (measure: measure.mjs's helpers; runChild: the same suite in a fresh Node
 * process with environment `set` and option `overrides`, for settings fixed per process such as wasm threads).
 * `report(results, measure)` turns a results object (also one committed earlier) into the suite's section of BENCHMARKS.md.
 * Results go to results/<package>.json, one key per suite, and BENCHMARKS.md is regenerated after each run.
 * A suite may also export `quick`: option overrides that make it tiny, for the quick mode (run.mjs --quick), which
 * checks that the suite runs and stores nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileAtomic } from '@facelab/runtime';
import { childEnv, suiteOptions } from './config.mjs';
import * as measure from './measure.mjs';
import { runPeer } from './peer.mjs';

/** The benchmarks workspace folder. */
export const HERE = dirname(fileURLToPath(import.meta.url));
const PACKAGES = join(HERE, '..', 'packages');
const RESULTS = join(HERE, 'results');

/** The suite files of package folder `pkg` (packages/<pkg>/bench/*.bench.mjs), sorted. */
export function suiteFiles(pkg) {
  const dir = join(PACKAGES, pkg, 'bench');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bench.mjs'))
    .sort()
    .map((f) => join(dir, f));
}

/** Every package folder with at least one suite. */
export function benchmarkedPackages() {
  return readdirSync(PACKAGES)
    .filter((p) => suiteFiles(p).length > 0)
    .sort();
}

/** Loads a suite module and checks its shape. */
export async function loadSuite(file) {
  const suite = (await import(pathToFileURL(file).href)).default;
  for (const key of ['name', 'title', 'run', 'report']) {
    if (suite?.[key] === undefined) throw new Error(`${file}: a suite default-exports { name, title, options, run, report }; '${key}' is missing`);
  }
  if (`${suite.name}.bench.mjs` !== basename(file)) throw new Error(`${file}: the suite's name must match its file name, got '${suite.name}'`);
  return { options: {}, ...suite };
}

/** The committed results of package `pkg`: { [suite]: results }. */
export function readResults(pkg) {
  const file = join(RESULTS, `${pkg}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
}

/** What every quick run sets among the options a suite has: one timed repetition, no warm-up, short timing windows. */
const QUICK = { reps: 1, warmup: 0, minMs: 100 };

/** The option overrides of `suite`'s quick mode: {@link QUICK} where the suite has those options, then its own `quick`. */
export function quickOverrides(suite) {
  const generic = Object.fromEntries(Object.entries(QUICK).filter(([name]) => name in suite.options));
  return { ...generic, ...suite.quick };
}

/** Runs `suite` of package `pkg` and returns its results (`overrides` and `child` come from a parent run). */
export async function runSuite(pkg, suite, { overrides = {}, child = false } = {}) {
  const options = suiteOptions(suite.options, overrides);
  const ctx = {
    options,
    child,
    measure,
    runPeer,
    runChild(set, childOverrides) {
      const args = [join(HERE, 'run.mjs'), pkg, suite.name, '--child', JSON.stringify({ ...overrides, ...childOverrides })];
      const res = spawnSync(process.execPath, args, { env: childEnv(set), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (res.status !== 0) throw new Error(`${pkg}/${suite.name}: child run failed (exit ${res.status})`);
      return JSON.parse(res.stdout.trim().split('\n').pop());
    },
  };
  return suite.run(ctx);
}

/** The markdown section of `suite` for `results`. */
export function reportSuite(suite, results) {
  return suite.report(results, measure);
}

/** Stores `results` of suite `name` in results/<pkg>.json, keeping the other suites' results. */
export async function writeResults(pkg, name, results) {
  const all = { ...readResults(pkg), [name]: results };
  const sorted = Object.fromEntries(Object.keys(all).sort().map((k) => [k, all[k]]));
  await writeFileAtomic(join(RESULTS, `${pkg}.json`), `${JSON.stringify(sorted, null, 1)}\n`);
}
