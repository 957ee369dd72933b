#!/usr/bin/env node
/**
 * footprint.mjs — what a user pays for installing and importing each published facelab package.
 *
 * For every published workspace package P (packages/<name>/package.json without "private": true):
 *   1. builds the monorepo (`npx nx run-many -t build --parallel=1`) and `npm pack`s every published package into
 *      a temp dir; tarballBytes / unpackedBytes are `size` / `unpackedSize` from `npm pack --json`;
 *   2. in a fresh empty project under /tmp (package.json {"type":"module"}) runs
 *      `npm install <P.tgz> <tarballs of the @facelab/* packages P needs>` (the @facelab closure of P over
 *      dependencies, optionalDependencies and required peerDependencies, so nothing @facelab comes from the registry),
 *      with ONNXRUNTIME_NODE_INSTALL=skip / npm_config_onnxruntime_node_install=skip (onnxruntime-node's install
 *      script otherwise downloads CUDA binaries from nuget.org) and --no-audit --no-fund;
 *   3. installBytes: sum of the apparent sizes (lstat st_size) of the regular files under node_modules
 *      (directories and symlinks not counted; ~ `du -sb` minus directory entries);
 *      installBytesWithoutOrt: the same with every onnxruntime-node package directory left out;
 *      contains.{tfjs,sharp,vega}: whether a package @tensorflow/tfjs* (the umbrella or tfjs-core), sharp or vega
 *      is anywhere in node_modules;
 *      packageCount: distinct package names in node_modules; largest: the 6 biggest packages (bytes, own files);
 *   4. importMs: median of 5 runs of
 *      `node --input-type=module -e "const t=performance.now(); await import('P'); console.log(performance.now()-t)"`
 *      in that project (each run a fresh process; the first one also sees a cold OS file cache).
 *
 * Usage:
 *   node tooling/footprint.mjs --out docs/notes/footprint-before.json [--skip-build] [--only @facelab/rpca,...]
 *   node tooling/footprint.mjs --table before.json after.json > docs/footprint.md
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args[i + 1]; };

if (args[0] === '--table') process.stdout.write(table(readJson(args[1]), readJson(args[2])));
else if (flag('--out')) measureAll(flag('--out'));
else { console.error('usage: footprint.mjs --out <file.json> | --table <before.json> <after.json>'); process.exit(2); }

function readJson(file) { return JSON.parse(readFileSync(file, 'utf8')); }

function measureAll(outFile) {
  const workspaces = readdirSync(join(root, 'packages'))
    .map((dir) => ({ dir: `packages/${dir}`, json: readJson(join(root, 'packages', dir, 'package.json')) }))
    .filter((w) => !w.json.private);
  const byName = new Map(workspaces.map((w) => [w.json.name, w]));
  const only = flag('--only')?.split(',');

  if (!args.includes('--skip-build')) {
    execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--parallel=1'], { cwd: root, stdio: 'inherit' });
  }
  const tmp = mkdtempSync(join(tmpdir(), 'facelab-footprint-'));
  const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', npm_config_onnxruntime_node_install: 'skip' };
  try {
    const packDir = join(tmp, 'tarballs');
    mkdirSync(packDir);
    const packed = JSON.parse(execFileSync('npm',
      ['pack', '--json', '--pack-destination', packDir, ...workspaces.flatMap((w) => ['-w', w.dir])],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
    const pack = new Map(packed.map((p) => [p.name, p]));

    const results = [];
    for (const w of workspaces) {
      const name = w.json.name;
      if (only && !only.includes(name)) continue;
      const closure = facelabClosure(name, byName);
      const project = join(tmp, `project-${name.replace(/\W/g, '_')}`);
      mkdirSync(project);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'footprint-probe', private: true, type: 'module' }));
      console.error(`\n[footprint] ${name}: npm install ${closure.join(' ')}`);
      const t0 = performance.now();
      execFileSync('npm', ['install', '--no-audit', '--no-fund', ...closure.map((n) => join(packDir, pack.get(n).filename))],
        { cwd: project, env, stdio: ['ignore', 'inherit', 'inherit'] });
      const installSeconds = (performance.now() - t0) / 1000;

      const sizes = { total: 0, ort: 0, packages: new Set(), byPackage: new Map() };
      walk(join(project, 'node_modules'), sizes, false, '');
      const importRuns = Array.from({ length: 5 }, () => importMs(project, name, env));
      const r = {
        package: name,
        version: w.json.version,
        facelabClosure: closure,
        tarballBytes: pack.get(name).size,
        unpackedBytes: pack.get(name).unpackedSize,
        installBytes: sizes.total,
        installBytesWithoutOrt: sizes.total - sizes.ort,
        packageCount: sizes.packages.size,
        largest: Object.fromEntries([...sizes.byPackage].sort((a, b) => b[1] - a[1]).slice(0, 6)),
        contains: { tfjs: sizes.packages.has('@tensorflow/tfjs') || sizes.packages.has('@tensorflow/tfjs-core'), sharp: sizes.packages.has('sharp'), vega: sizes.packages.has('vega') },
        importMs: median(importRuns),
        importRunsMs: importRuns,
        installSeconds: Math.round(installSeconds),
      };
      console.error(`[footprint] ${name}: ${mb(r.installBytes)} MB (${mb(r.installBytesWithoutOrt)} MB without onnxruntime-node), import ${r.importMs} ms`);
      results.push(r);
      rmSync(project, { recursive: true, force: true });
    }
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const npmVersion = execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim();
    const out = { date: new Date().toISOString(), commit, node: process.version, npm: npmVersion,
      platform: `${process.platform}-${process.arch}`, packages: results };
    mkdirSync(dirname(resolve(outFile)), { recursive: true });
    writeFileSync(outFile, JSON.stringify(out, null, 2) + '\n');
    console.error(`[footprint] wrote ${outFile}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * P and every @facelab/* package npm installs with it: reachable via dependencies, optionalDependencies and
 * the peerDependencies npm installs automatically (optional peers, which it does not, are left out).
 */
function facelabClosure(name, byName) {
  const seen = new Set();
  const visit = (n) => {
    if (seen.has(n)) return;
    if (!byName.has(n)) throw new Error(`${n} is a @facelab dependency but not a published workspace package`);
    seen.add(n);
    const j = byName.get(n).json;
    const requiredPeers = Object.keys(j.peerDependencies ?? {}).filter((d) => !j.peerDependenciesMeta?.[d]?.optional);
    for (const deps of [Object.keys(j.dependencies ?? {}), Object.keys(j.optionalDependencies ?? {}), requiredPeers]) {
      for (const d of deps) if (d.startsWith('@facelab/')) visit(d);
    }
  };
  visit(name);
  return [...seen];
}

/** Sums regular-file sizes under dir, in all and per innermost package; notes every package name it passes. */
function walk(dir, sizes, inOrt, owner) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^@./][^/]*)$/.exec(path)?.[1];
      if (pkg) sizes.packages.add(pkg);
      walk(path, sizes, inOrt || pkg === 'onnxruntime-node', pkg ?? owner);
    } else if (e.isFile()) {
      const size = lstatSync(path).size;
      sizes.total += size;
      sizes.byPackage.set(owner, (sizes.byPackage.get(owner) ?? 0) + size);
      if (inOrt) sizes.ort += size;
    }
  }
}

function importMs(cwd, name, env) {
  const code = `const t=performance.now(); await import('${name}'); console.log(performance.now()-t)`;
  const r = spawnSync('node', ['--input-type=module', '-e', code], { cwd, env, encoding: 'utf8', timeout: 120_000 });
  // the import may print on its own (or keep the event loop alive); the measurement is the last numeric line
  const ms = Number(r.stdout.trim().split('\n').at(-1));
  if (!Number.isFinite(ms)) throw new Error(`import of ${name} failed (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return Math.round(ms);
}

function median(xs) { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; }
function mb(bytes) { return (bytes / 1e6).toFixed(1); }

function table(before, after) {
  const prev = new Map(before.packages.map((p) => [p.package, p]));
  const yes = (b) => (b ? 'yes' : 'no');
  const rows = after.packages.map((a) => {
    const b = prev.get(a.package);
    return `| \`${a.package}\` | ${b ? mb(b.installBytes) : '—'} → ${mb(a.installBytes)} `
      + `| ${b ? mb(b.installBytesWithoutOrt) : '—'} → ${mb(a.installBytesWithoutOrt)} `
      + `| ${b ? b.importMs : '—'} → ${a.importMs} `
      + `| ${yes(a.contains.tfjs)} / ${yes(a.contains.sharp)} / ${yes(a.contains.vega)} |`;
  });
  const gone = before.packages.filter((b) => !after.packages.some((a) => a.package === b.package))
    .map((b) => `| \`${b.package}\` | ${mb(b.installBytes)} → — | ${mb(b.installBytesWithoutOrt)} → — | ${b.importMs} → — | — |`);
  return [
    `Install footprint (fresh \`npm install\` of the tarball, MB = 10^6 bytes of node_modules) and cold import time,`,
    `before (${before.commit.slice(0, 7)}, ${before.date.slice(0, 10)}, Node ${before.node}) → after `
      + `(${after.commit.slice(0, 7)}, ${after.date.slice(0, 10)}, Node ${after.node}). Measured by \`tooling/footprint.mjs\`.`,
    '',
    '| package | install MB | install MB without onnxruntime-node | import ms (median of 5) | contains tfjs / sharp / vega (after) |',
    '|---|---|---|---|---|',
    ...rows, ...gone, '',
  ].join('\n');
}
