#!/usr/bin/env node
/**
 * Runs benchmark suites: `node benchmarks/run.mjs <package> [suite ...]` runs the package's suites (all by
 * default), stores each one's results in results/<package>.json, prints its report and regenerates BENCHMARKS.md.
 * A package's `bench` target calls it for that package. `--quick` runs each suite tiny (its `quick` options, one
 * repetition) to check that it runs, and stores nothing (quick.mjs does it for every package). `--child <json
 * options>` is the harness's own child mode (see harness.mjs runChild): it prints the results as JSON and writes
 * nothing.
 */
import { basename } from 'node:path';
import { loadSuite, quickOverrides, reportSuite, runSuite, suiteFiles, writeResults } from './harness.mjs';
import { writeBenchmarksMd } from './report.mjs';

const args = process.argv.slice(2);
const childAt = args.indexOf('--child');
const child = childAt >= 0;
const overrides = child ? JSON.parse(args.splice(childAt, 2)[1]) : {};
const quickAt = args.indexOf('--quick');
const quick = quickAt >= 0;
if (quick) args.splice(quickAt, 1);
const [pkg, ...names] = args;
const files = pkg === undefined ? [] : suiteFiles(pkg);
if (files.length === 0) {
  console.error(`usage: node benchmarks/run.mjs <package> [suite ...] [--quick]${pkg ? ` (packages/${pkg}/bench has no *.bench.mjs suite)` : ''}`);
  process.exit(2);
}
const unknown = names.filter((n) => !files.some((f) => basename(f) === `${n}.bench.mjs`));
if (unknown.length > 0) {
  console.error(`${pkg} has no suite ${unknown.join(', ')} (suites: ${files.map((f) => basename(f, '.bench.mjs')).join(', ')})`);
  process.exit(2);
}
for (const file of files) {
  const suite = await loadSuite(file);
  if (names.length > 0 && !names.includes(suite.name)) continue;
  const started = performance.now();
  const results = await runSuite(pkg, suite, { overrides: quick ? { ...quickOverrides(suite), ...overrides } : overrides, child });
  if (child) {
    process.stdout.write(`${JSON.stringify(results)}\n`);
    continue;
  }
  if (quick) {
    console.log(`quick: ${pkg}/${suite.name} ran in ${((performance.now() - started) / 1000).toFixed(1)} s (${JSON.stringify(quickOverrides(suite))}; nothing stored)`);
    continue;
  }
  await writeResults(pkg, suite.name, results);
  console.log(`\n${pkg} / ${suite.title}\n\n${reportSuite(suite, results)}\n`);
}
if (!child && !quick) await writeBenchmarksMd();
// A child's wasm worker threads (FACELAB_WASM_THREADS) keep its event loop alive after the work is done.
if (child) process.exit(0);
