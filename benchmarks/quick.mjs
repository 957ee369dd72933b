#!/usr/bin/env node
/**
 * Every benchmark suite of every package in quick mode (`node benchmarks/run.mjs <package> --quick`, one package
 * per process, one after the other): tiny sizes and one repetition, to check that each suite runs; nothing is
 * stored. `npm run bench:quick` builds the packages first. Says up front whether the PyTorch peer can run and how
 * to install it. Exits 1 if a suite failed.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { HERE, benchmarkedPackages } from './harness.mjs';
import { TORCH_INSTALL, torchMissing } from './peer.mjs';

const missing = torchMissing();
console.log(missing ? `PyTorch peer: ${missing}; the suites run without it. To compare: ${TORCH_INSTALL}` : 'PyTorch peer: found');
const started = performance.now();
const failed = [];
for (const pkg of benchmarkedPackages()) {
  const t0 = performance.now();
  const res = spawnSync(process.execPath, [join(HERE, 'run.mjs'), pkg, '--quick'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  if (res.status !== 0) failed.push(pkg);
  console.log(`bench:quick ${pkg}: ${res.status === 0 ? 'ok' : `FAILED (exit ${res.status})`} in ${seconds} s`);
}
const total = ((performance.now() - started) / 1000).toFixed(1);
console.log(`bench:quick: ${benchmarkedPackages().length - failed.length} packages ok${failed.length ? `, failed: ${failed.join(', ')}` : ''} in ${total} s`);
process.exit(failed.length ? 1 : 0);
