#!/usr/bin/env node
// The release flow as a user meets it, end to end (run by `npm test` after the package suites, and by
// `npm run release-test`; needs the packages built and the npm registry reachable for third-party packages):
//   1. publint and @arethetypeswrong/cli on every published package;
//   2. a copy of the repository (tracked files + dist/) runs `changeset version` and `changeset publish` against a
//      verdaccio 6.8 registry on 127.0.0.1 (facelab packages local, everything else proxied from npmjs);
//   3. for EACH published package (the non-private workspaces under packages/, so a new one joins by itself; argv[2]
//      names the ones to check, else all), one after the other in its own empty project: install it alone by name,
//      import and require its entry, run its bins' --help and --version, run every ts/js block of the README in
//      its tarball with `import` and with `require`, and type-check them as a strict TypeScript consumer under
//      moduleResolution bundler and node16 (scripts/release/consumer.mjs). The projects share npm's cache.
// Prints one line per step with the seconds so far; exits 1 on the first failure with its output.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsumerError, checkConsumer, isBuilt, run as runOrThrow } from './release/consumer.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2);
const started = Date.now();
const step = (what) => console.log(`release-test: ${what} (${((Date.now() - started) / 1000).toFixed(0)} s)`);

/** Runs a command; on failure prints it with its output and exits 1. */
function run(cmd, args, options = {}) {
  try {
    return runOrThrow(cmd, args, options);
  } catch (err) {
    if (!(err instanceof ConsumerError)) throw err;
    console.error(`release-test: ${err.message}`);
    process.exit(1);
  }
}

/** The published workspaces: packages/<dir> without `private`. */
const published = readdirSync(join(root, 'packages'))
  .filter((d) => existsSync(join(root, 'packages', d, 'package.json')))
  .map((d) => ({ dir: d, manifest: JSON.parse(readFileSync(join(root, 'packages', d, 'package.json'), 'utf8')) }))
  .filter((p) => !p.manifest.private);

const unknown = only.filter((name) => !published.some((p) => p.manifest.name === name));
if (unknown.length > 0) {
  console.error(`release-test: ${unknown.join(', ')}: not published (${published.map((p) => p.manifest.name).join(', ')})`);
  process.exit(1);
}
for (const p of published) {
  if (!isBuilt(join(root, 'packages', p.dir))) {
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
// 0.x policy (README, "Releases"): breaking changes are minor bumps, so nothing may reach 1.0.0 by accident.
const major = Object.entries(versions).filter(([, v]) => !v.startsWith('0.'));
if (major.length > 0) {
  console.error(`release-test: changeset version left the 0.x series: ${major.map(([n, v]) => `${n}@${v}`).join(', ')} (breaking changes are minor bumps until 1.0)`);
  process.exit(1);
}
const publishLog = run(bin('changeset'), ['publish'], { cwd: repo, env: npmEnv });
for (const name of Object.keys(versions)) {
  if (run('npm', ['view', `${name}@${versions[name]}`, 'version'], { cwd: work, env: npmEnv }).trim() !== versions[name]) {
    console.error(`release-test: ${name}@${versions[name]} is not in the registry after changeset publish\n${publishLog}`);
    process.exit(1);
  }
}
step(`changeset version + publish: ${Object.entries(versions).map(([n, v]) => `${n}@${v}`).join(', ')}`);

// 3. Each package alone in a user's empty project, one after the other (two cores: no parallel installs).
const typeRoots = [join(root, 'node_modules', '@types')];
for (const p of published.filter((q) => only.length === 0 || only.includes(q.manifest.name))) {
  const t0 = Date.now();
  const name = p.manifest.name;
  try {
    const summary = checkConsumer({
      dir: join(work, 'apps', p.dir),
      name,
      version: versions[name],
      bins: Object.keys(p.manifest.bin ?? {}),
      npmEnv,
      typeRoots,
      tsc: bin('tsc'),
    });
    step(`${name} alone: ${summary} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    rmSync(join(work, 'apps', p.dir), { recursive: true, force: true }); // onnxruntime-node alone is ~300 MB
  } catch (err) {
    if (!(err instanceof ConsumerError)) throw err;
    console.error(`release-test: ${name} in an empty project: ${err.message}`);
    process.exit(1);
  }
}
step(`done`);
process.exit(0); // stops verdaccio and removes the temporary folder (the exit handler)
