#!/usr/bin/env node
// The release flow as a user meets it, end to end (run by `npm test` after the package suites, and by
// `npm run release-test`; needs the packages built and the npm registry reachable for third-party packages):
//   1. publint and @arethetypeswrong/cli on every published package;
//   2. a copy of the repository (tracked files + dist/) runs `changeset version` and `changeset publish` against a
//      verdaccio 6.8 registry on 127.0.0.1 (facelab packages local, everything else proxied from npmjs);
//   3. an empty project installs ONE package by name (default @facelab/rpca; argv[2] names another) from it,
//      runs every ts/js block of the README in its tarball with `import` and with `require`, and type-checks
//      them as a strict TypeScript consumer under moduleResolution bundler and node16.
// Prints one line per step; exits 1 on the first failure with its output.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const target = process.argv[2] ?? '@facelab/rpca';
const started = Date.now();
const step = (what) => console.log(`release-test: ${what} (${((Date.now() - started) / 1000).toFixed(0)} s)`);

function run(cmd, args, options = {}) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
  } catch (err) {
    console.error(`release-test: ${cmd} ${args.join(' ')} failed (exit ${err.status})\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    process.exit(1);
  }
}

/** The published workspaces: packages/<dir> without `private`. */
const published = readdirSync(join(root, 'packages'))
  .filter((d) => existsSync(join(root, 'packages', d, 'package.json')))
  .map((d) => ({ dir: d, manifest: JSON.parse(readFileSync(join(root, 'packages', d, 'package.json'), 'utf8')) }))
  .filter((p) => !p.manifest.private);

for (const p of published) {
  if (!existsSync(join(root, 'packages', p.dir, 'dist', 'index.cjs'))) {
    console.error(`release-test: packages/${p.dir}/dist is not built; run npm run build first`);
    process.exit(1);
  }
}

// 1. publint and attw on every package.
const work = mkdtempSync(join(tmpdir(), 'facelab-release-'));
const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);
for (const p of published) {
  const dir = join(root, 'packages', p.dir);
  run(bin('publint'), ['--strict'], { cwd: dir });
  const file = run('npm', ['pack', '--silent', '--pack-destination', tarballs], { cwd: dir }).trim().split('\n').pop();
  const listing = run('tar', ['-tzf', join(tarballs, file)]);
  if (/\.map$/m.test(listing) || !/^package\/LICENSE$/m.test(listing)) {
    console.error(`release-test: ${file}: source maps in the tarball or no LICENSE\n${listing}`);
    process.exit(1);
  }
  run(bin('attw'), [join(tarballs, file), '--format', 'ascii']);
}
step(`publint, attw, LICENSE and no source maps: ${published.length} packages clean`);

// 2. A registry on a free port, and the repository copy that versions and publishes to it.
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port: p } = s.address();
    s.close(() => resolve(p));
  });
});
const registry = `http://127.0.0.1:${port}/`;
writeFileSync(
  join(work, 'verdaccio.yaml'),
  [
    `storage: ${join(work, 'storage')}`,
    'auth:',
    '  htpasswd:',
    `    file: ${join(work, 'htpasswd')}`,
    'uplinks:',
    '  npmjs:',
    '    url: https://registry.npmjs.org/',
    'packages:',
    "  '@facelab/*':",
    '    access: $all',
    '    publish: $authenticated',
    "  '**':",
    '    access: $all',
    '    proxy: npmjs',
    'log: { type: stdout, format: pretty, level: error }',
    '',
  ].join('\n'),
);
const verdaccio = spawn(bin('verdaccio'), ['--config', join(work, 'verdaccio.yaml'), '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
verdaccio.unref();
const cleanup = () => {
  verdaccio.kill();
  rmSync(work, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${registry}-/ping`)).ok) break;
  } catch {
    if (i > 100) throw new Error(`verdaccio did not start on ${registry}`);
  }
  await new Promise((r) => setTimeout(r, 100));
}
const user = await fetch(`${registry}-/user/org.couchdb.user:release-test`, {
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'release-test', password: 'release-test' }),
}).then((r) => r.json());
const npmrc = join(work, 'npmrc');
writeFileSync(npmrc, `registry=${registry}\n//127.0.0.1:${port}/:_authToken=${user.token}\n`);
const npmEnv = { ...process.env, npm_config_userconfig: npmrc, npm_config_registry: registry, ONNXRUNTIME_NODE_INSTALL: 'skip' };
step(`verdaccio on ${registry}`);

const repo = join(work, 'repo');
for (const file of run('git', ['ls-files', '-z'], { cwd: root }).split('\0').filter(Boolean)) {
  mkdirSync(dirname(join(repo, file)), { recursive: true });
  cpSync(join(root, file), join(repo, file));
}
for (const p of published) cpSync(join(root, 'packages', p.dir, 'dist'), join(repo, 'packages', p.dir, 'dist'), { recursive: true });
run('git', ['init', '-q'], { cwd: repo });
run(bin('changeset'), ['version'], { cwd: repo, env: npmEnv });
const versions = Object.fromEntries(published.map((p) => [p.manifest.name, JSON.parse(readFileSync(join(repo, 'packages', p.dir, 'package.json'), 'utf8')).version]));
for (const p of published) {
  const changelog = readFileSync(join(repo, 'packages', p.dir, 'CHANGELOG.md'), 'utf8');
  if (!changelog.includes(`## ${versions[p.manifest.name]}`)) {
    console.error(`release-test: changeset version wrote no ${versions[p.manifest.name]} entry in packages/${p.dir}/CHANGELOG.md`);
    process.exit(1);
  }
}
const publishLog = run(bin('changeset'), ['publish'], { cwd: repo, env: npmEnv });
for (const name of Object.keys(versions)) {
  if (run('npm', ['view', `${name}@${versions[name]}`, 'version'], { cwd: work, env: npmEnv }).trim() !== versions[name]) {
    console.error(`release-test: ${name}@${versions[name]} is not in the registry after changeset publish\n${publishLog}`);
    process.exit(1);
  }
}
step(`changeset version + publish: ${Object.entries(versions).map(([n, v]) => `${n}@${v}`).join(', ')}`);

// 3. A user's empty project installs one package by name.
const app = join(work, 'app');
mkdirSync(app);
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, version: '0.0.0' }));
// Optional dependencies (onnxruntime-node, ~100 MB) are left out to keep CI's download small; the fallback is tested.
run('npm', ['install', '--no-audit', '--no-fund', '--omit=optional', target], { cwd: app, env: npmEnv });
const pkgDir = join(app, 'node_modules', ...target.split('/'));
const readme = readFileSync(join(pkgDir, 'README.md'), 'utf8');
if (!new RegExp(`^npm install ${target.replace('/', '\\/')}`, 'm').test(readme)) {
  console.error(`release-test: ${target}'s README has no install line`);
  process.exit(1);
}
const blocks = [];
const lines = readme.split('\n');
for (let i = 0; i < lines.length; i++) {
  if (!/^```(ts|typescript|js|javascript)\s*$/.test(lines[i])) continue;
  const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
  const skipped = /^<!-- readme-test: skip/.test(lines.slice(0, i).reverse().find((l) => l.trim() !== '') ?? '');
  if (!skipped) blocks.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n') });
  i = end;
}
step(`npm install ${target}: ${readdirSync(join(app, 'node_modules', '@facelab')).join(', ')} under @facelab/; ${blocks.length} README examples`);

const transpile = (code, module) =>
  ts.transpileModule(code, { compilerOptions: { module, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
for (const b of blocks) {
  writeFileSync(join(app, `readme-${b.line}.mjs`), transpile(b.code, ts.ModuleKind.ESNext));
  run('node', [`readme-${b.line}.mjs`], { cwd: app, env: process.env });
  // CommonJS has no top-level await: the example runs inside an async function after its requires.
  const cjs = transpile(b.code, ts.ModuleKind.CommonJS);
  writeFileSync(join(app, `readme-${b.line}.cjs`), `(async () => {\n${cjs}\n})().catch((e) => { console.error(e); process.exit(1); });\n`);
  run('node', [`readme-${b.line}.cjs`], { cwd: app, env: process.env });
  const source = run('grep', ['-c', 'require("@facelab/', `readme-${b.line}.cjs`], { cwd: app }).trim();
  if (source === '0') {
    console.error(`release-test: README.md:${b.line} compiled to CommonJS has no require("@facelab/…")`);
    process.exit(1);
  }
  writeFileSync(join(app, `readme-${b.line}.ts`), `${b.code}\nexport {};\n`);
}
step(`README examples run with import and with require`);

for (const [moduleResolution, module] of [
  ['bundler', 'esnext'],
  ['node16', 'node16'],
]) {
  const tsconfig = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'es2022',
      module,
      moduleResolution,
      lib: ['es2023'],
      types: ['node'],
      typeRoots: [join(root, 'node_modules', '@types')],
    },
    include: ['readme-*.ts'],
  };
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, version: '0.0.0', type: 'module' }));
  writeFileSync(join(app, `tsconfig.${moduleResolution}.json`), JSON.stringify(tsconfig, null, 2));
  run(bin('tsc'), ['-p', `tsconfig.${moduleResolution}.json`], { cwd: app });
}
step('strict TypeScript consumer type-checks (moduleResolution bundler and node16)');
process.exit(0); // stops verdaccio and removes the temporary folder (the exit handler)
