// `npm start`: runs every package's demo on bundled/synthetic data and prints one summary table.
// Convention: a package that has a demo keeps it in `demo/index.ts`, built by its `build-demo` target into
// `demo-dist/index.js` (not published), exporting `demo({ outDir })`, which resolves to
// `{ title, rows: [{ item, value }], artifacts: [paths] }`.
// `node scripts/demo.mjs rpca synth` runs only those; `--jobs N` runs N demos at once (default: one per core,
// each demo's onnxruntime kernels then get cores / N threads unless FACELAB_ORT_THREADS says otherwise).
// Each demo runs in its own process (scripts/demo-run.mjs); its output lines are prefixed with its package.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const args = process.argv.slice(2);
const jobsAt = args.indexOf('--jobs');
const jobsArg = jobsAt >= 0 ? Number(args[jobsAt + 1]) : undefined;
if (jobsArg !== undefined && !(Number.isInteger(jobsArg) && jobsArg >= 1)) {
  console.error(`demo: --jobs must be a positive integer, got '${args[jobsAt + 1] ?? ''}'`);
  process.exit(2);
}
const only = args.filter((_, i) => jobsAt < 0 || (i !== jobsAt && i !== jobsAt + 1));
const outRoot = resolve('out');
const packages = readdirSync('packages')
  .filter((pkg) => (only.length === 0 || only.includes(pkg)) && existsSync(resolve('packages', pkg, 'demo-dist', 'index.js')))
  .sort();
if (packages.length === 0) {
  console.error('no package demo found: run `npx nx run-many -t build-demo` first');
  process.exit(1);
}
const cores = availableParallelism();
const jobs = Math.min(jobsArg ?? cores, packages.length);
const childEnv = { ...process.env, FACELAB_ORT_THREADS: process.env.FACELAB_ORT_THREADS || String(Math.max(1, Math.floor(cores / jobs))) };

/** Runs one package's demo in a child process; resolves to its result (or a FAILED one). */
function runDemo(pkg) {
  const outDir = join(outRoot, pkg);
  mkdirSync(outDir, { recursive: true });
  const resultFile = join(outDir, 'demo-result.json');
  console.log(`=== ${pkg} demo started (writes to ${outDir}) ===`);
  const started = Date.now();
  const child = spawn(process.execPath, [resolve('scripts', 'demo-run.mjs'), pkg, outDir, resultFile], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const [stream, sink] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
    createInterface({ input: stream }).on('line', (line) => sink.write(`[${pkg}] ${line}\n`));
  }
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      const seconds = (Date.now() - started) / 1000;
      console.log(`=== ${pkg} demo finished in ${seconds.toFixed(1)} s ===`);
      if (code === 0 && existsSync(resultFile)) done({ pkg, seconds, ...JSON.parse(readFileSync(resultFile, 'utf8')) });
      // One package's failure must not hide the others' results; it still fails the run.
      else done({ pkg, seconds, title: 'FAILED', rows: [{ item: 'exit', value: signal ?? `code ${code}` }] });
    });
  });
}

const results = [];
const queue = [...packages];
await Promise.all(
  Array.from({ length: jobs }, async () => {
    for (let pkg = queue.shift(); pkg !== undefined; pkg = queue.shift()) results.push(await runDemo(pkg));
  }),
);
results.sort((a, b) => a.pkg.localeCompare(b.pkg));

const lines = [];
for (const r of results) {
  lines.push([`${r.pkg}: ${r.title}`, `${r.seconds.toFixed(1)} s`]);
  for (const row of r.rows) lines.push([`  ${row.item}`, String(row.value)]);
  for (const a of r.artifacts ?? []) lines.push(['  figure', a]);
}
const w = Math.max(...lines.map((l) => l[0].length), 10);
console.log('\n' + '='.repeat(w + 24) + `\nfacelab summary (${jobs} demo(s) at a time)\n` + '='.repeat(w + 24));
for (const [k, v] of lines) console.log(`${k.padEnd(w)}  ${v}`);
if (results.some((r) => r.title === 'FAILED')) process.exit(1);
