#!/usr/bin/env node
// Browser bundles: for every published package whose `exports['.']` has a `browser` condition, esbuild bundles a
// script that imports the package (`--bundle --platform=browser`, minified, one file: the lazily imported tfjs backends included), with
// every @facelab/* import resolved through the `browser` condition of its package's `exports` to the source file
// behind it (dist/x.js → src/x.ts, so no build is needed). A Node built-in anywhere in the graph fails the bundle.
//   node tooling/browser-bundles.mjs [--markdown]   sizes as JSON (or the README's table); exit 1 if a bundle
//                                                   fails or exceeds its budget in tooling/browser-budget.json
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** The published workspace packages: { dir, name, manifest }. */
export function publishedPackages(root) {
  const dir = join(root, 'packages');
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'package.json')))
    .map((d) => ({ dir: join(dir, d), name: d, manifest: JSON.parse(readFileSync(join(dir, d, 'package.json'), 'utf8')) }))
    .filter((p) => !p.manifest.private);
}

/** The file a package's `exports[subpath]` gives a browser bundler (`browser`, else `import`), as its source path. */
export function browserSource(pkg, subpath) {
  let target = pkg.manifest.exports?.[subpath];
  while (target !== undefined && typeof target === 'object') target = target.browser ?? target.import ?? target.default;
  if (typeof target !== 'string') return undefined;
  const src = join(pkg.dir, target.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
  if (!existsSync(src)) throw new Error(`${pkg.manifest.name}: exports['${subpath}'] → ${target}, but ${src} does not exist`);
  return src;
}

/**
 * An esbuild plugin: a workspace package (@facelab/<p>[/subpath]) → the source behind its `browser` condition; a Node built-in imported by facelab's
 * code → an error naming the importer. (Dependencies that map a built-in to `false` in their package.json `browser`
 * field, as tfjs's wasm glue and seedrandom do, get an empty module from esbuild; any other built-in fails
 * esbuild's own resolution for the browser platform.)
 */
function facelabBrowser(root, packages) {
  const packagesDir = `${join(root, 'packages')}/`;
  const byName = new Map(packages.map((p) => [p.manifest.name, p]));
  return {
    name: 'facelab-browser',
    setup(build) {
      build.onResolve({ filter: /^@[^/]+\/[^/]+/ }, (args) => {
        const [scope, name, ...rest] = args.path.split('/');
        const pkg = byName.get(`${scope}/${name}`);
        if (pkg === undefined) return undefined; // not a workspace package: esbuild resolves it from node_modules
        const sub = rest.length === 0 ? '.' : `./${rest.join('/')}`;
        const path = browserSource(pkg, sub);
        if (path === undefined) return { errors: [{ text: `${args.path}: ${pkg.manifest.name} has no browser entry for '${sub}'` }] };
        return { path };
      });
      build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
        if (!builtins.has(args.path) || !args.importer.startsWith(packagesDir)) return undefined;
        return { errors: [{ text: `Node built-in '${args.path}' imported by ${args.importer}` }] };
      });
    },
  };
}

/**
 * Bundles `import * as m from '<name>'` for the browser (the `browser` condition). Returns { bytes, gzip, ownBytes, inputs } (minified
 * sizes; ownBytes: the part from facelab's packages) or throws with esbuild's errors.
 */
export async function bundleBrowserEntry(root, packages, name) {
  const result = await build({
    stdin: { contents: `import * as m from '${name}';\nglobalThis.facelab = m;\n`, resolveDir: root, loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    // A bundler in a web app replaces process.env.NODE_ENV (tfjs reads it); esbuild does this for the browser too.
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [facelabBrowser(root, packages)],
  });
  const code = result.outputFiles[0].contents;
  const output = Object.values(result.metafile.outputs)[0];
  const packagesDir = `${join(root, 'packages')}/`;
  let ownBytes = 0;
  for (const [file, info] of Object.entries(output.inputs)) if (resolve(root, file).startsWith(packagesDir)) ownBytes += info.bytesInOutput;
  return { bytes: code.length, gzip: gzipSync(code).length, ownBytes, inputs: Object.keys(output.inputs).length };
}

/** Bundles every browser entry (a `browser` condition on `.`) and checks it against the budget: [{ name, bytes, gzip, ownBytes, budget, error }]. */
export async function checkBrowserBundles(root) {
  const packages = publishedPackages(root);
  const budget = JSON.parse(readFileSync(join(root, 'tooling', 'browser-budget.json'), 'utf8'));
  const rows = [];
  for (const pkg of packages) {
    const name = pkg.manifest.name;
    if (pkg.manifest.exports?.['.']?.browser === undefined) {
      rows.push({ name, browser: false });
      continue;
    }
    const limit = budget.gzipBytes[name];
    try {
      const size = await bundleBrowserEntry(root, packages, name);
      const error = limit === undefined ? `no budget in tooling/browser-budget.json` : size.gzip > limit ? `${size.gzip} gzip bytes > budget ${limit}` : undefined;
      rows.push({ name, browser: true, ...size, budget: limit, error });
    } catch (err) {
      const text = err.errors ? err.errors.map((e) => e.text).join('; ') : String(err);
      rows.push({ name, browser: true, budget: limit, error: text });
    }
  }
  return rows;
}

function kib(n) {
  return `${(n / 1024).toFixed(0)} KiB`;
}

/** The README's table of bundle sizes. */
export function markdownTable(rows) {
  const lines = ['| package | minified | gzip | of which facelab (minified) | gzip budget |', '|---|---:|---:|---:|---:|'];
  for (const r of rows.filter((x) => x.browser)) lines.push(`| \`${r.name}\` | ${kib(r.bytes)} | ${kib(r.gzip)} | ${kib(r.ownBytes)} | ${kib(r.budget)} |`);
  const node = rows.filter((x) => !x.browser).map((x) => `\`${x.name}\``);
  if (node.length > 0) lines.push('', `Node only (no \`browser\` condition): ${node.join(', ')}.`);
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const rows = await checkBrowserBundles(root);
  console.log(process.argv.includes('--markdown') ? markdownTable(rows) : JSON.stringify(rows, null, 2));
  const bad = rows.filter((r) => r.error);
  for (const r of bad) console.error(`${r.name} (browser): ${r.error}`);
  process.exit(bad.length > 0 ? 1 : 0);
}
