// `npm start`: runs every package's demo on bundled/synthetic data and prints one summary table.
// Convention: a package that has a demo keeps it in `demo/index.ts`, built by its `build-demo` target into
// `demo-dist/index.js` (not published), exporting `demo({ outDir })`, which resolves to
// `{ title, rows: [{ item, value }], artifacts: [paths] }`. `node scripts/demo.mjs rpca synth` runs only those.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const only = process.argv.slice(2);
const outRoot = resolve('out');
const results = [];
for (const pkg of readdirSync('packages').sort((a, b) => (a === 'core-tensor' ? -1 : b === 'core-tensor' ? 1 : a.localeCompare(b)))) {
  if (only.length > 0 && !only.includes(pkg)) continue;
  const entry = resolve('packages', pkg, 'demo-dist', 'index.js');
  if (!existsSync(entry)) continue;
  const outDir = join(outRoot, pkg);
  mkdirSync(outDir, { recursive: true });
  console.log(`\n=== ${pkg} demo (writes to ${outDir}) ===`);
  const started = Date.now();
  try {
    const { demo } = await import(pathToFileURL(entry).href);
    const result = await demo({ outDir });
    results.push({ pkg, seconds: (Date.now() - started) / 1000, ...result });
  } catch (err) {
    // One package's failure must not hide the others' results; it still fails the run.
    console.error(err);
    results.push({ pkg, seconds: (Date.now() - started) / 1000, title: 'FAILED', rows: [{ item: 'error', value: String(err?.message ?? err) }] });
  }
}

const lines = [];
for (const r of results) {
  lines.push([`${r.pkg}: ${r.title}`, `${r.seconds.toFixed(1)} s`]);
  for (const row of r.rows) lines.push([`  ${row.item}`, String(row.value)]);
  for (const a of r.artifacts ?? []) lines.push(['  figure', a]);
}
const w = Math.max(...lines.map((l) => l[0].length), 10);
console.log('\n' + '='.repeat(w + 24) + '\nfacelab summary\n' + '='.repeat(w + 24));
for (const [k, v] of lines) console.log(`${k.padEnd(w)}  ${v}`);
if (results.length === 0) {
  console.error('no package demo found: run `npx nx run-many -t build-demo` first');
  process.exit(1);
}
if (results.some((r) => r.title === 'FAILED')) process.exit(1);
