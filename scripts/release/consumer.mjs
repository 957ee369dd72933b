// One user's empty project per published package, for scripts/release-test.mjs: install the package alone by name
// from the local registry, import and require its entry (the same export names), run its bins' --help and
// --version, run every ts/js block of the README in its tarball with `import` and with `require`, and type-check
// them as a strict TypeScript consumer under moduleResolution bundler and node16.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** A failed step of a consumer check: one line, then the output of the command that failed. */
export class ConsumerError extends Error {
  name = 'ConsumerError';
}

/** Runs a command; throws a ConsumerError naming it with its output when it fails. */
export function run(cmd, args, options = {}) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
  } catch (err) {
    throw new ConsumerError(`${cmd} ${args.join(' ')} failed (exit ${err.status})\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

/** The ts/js blocks of a README that are not marked `<!-- readme-test: skip … -->`, with their 1-based lines. */
export function readmeBlocks(readme) {
  const blocks = [];
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript|js|javascript)\s*$/.test(lines[i])) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    const skipped = /^<!-- readme-test: skip/.test(lines.slice(0, i).reverse().find((l) => l.trim() !== '') ?? '');
    if (!skipped) blocks.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** The package specs of a README's `npm install …` lines (comments and flags dropped). */
export function readmeInstalls(readme) {
  return [...readme.matchAll(/^npm install (.+)$/gm)].flatMap((m) => m[1].replace(/#.*/, '').trim().split(/\s+/).filter((a) => !a.startsWith('-')));
}

/** `@scope/name` or `name` of a spec such as `@tensorflow/tfjs-core@4.22.0`. */
const packageName = (spec) => spec.replace(/(?<=.)@.*$/, '');

const transpile = (code, module) =>
  ts.transpileModule(code, { compilerOptions: { module, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;

/**
 * Checks one published package in a fresh project under `dir`. `name`, `version`, `bins` (bin names) describe it;
 * `npmEnv` points npm at the registry; `typeRoots` holds @types/node. Returns a one-line summary; throws a
 * ConsumerError on the first failure.
 */
export function checkConsumer({ dir, name, version, bins, npmEnv, typeRoots, tsc }) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, version: '0.0.0', type: 'module' }));
  // A user's default install, optional dependencies included (sharp's platform binary is one; --omit=optional
  // breaks @facelab/data). --prefer-offline: third-party packages come from the shared npm cache when it has them.
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', name], { cwd: dir, env: npmEnv });
  const installed = readdirSync(join(dir, 'node_modules', '@facelab'));

  // The entry, with import and with require: both builds load and export the same names.
  writeFileSync(join(dir, 'entry.mjs'), `import * as m from '${name}';\nconsole.log(JSON.stringify(Object.keys(m).sort()));\n`);
  writeFileSync(join(dir, 'entry.cjs'), `console.log(JSON.stringify(Object.keys(require('${name}')).sort()));\n`);
  const esm = run('node', ['entry.mjs'], { cwd: dir }).trim().split('\n').pop();
  const cjs = run('node', ['entry.cjs'], { cwd: dir }).trim().split('\n').pop();
  if (esm !== cjs) throw new ConsumerError(`${name}: import and require export different names\nimport:  ${esm}\nrequire: ${cjs}`);
  const exported = JSON.parse(esm).length;
  if (exported === 0) throw new ConsumerError(`${name}: the entry exports nothing`);

  // The bins: --help and --version.
  for (const bin of bins) {
    const help = run(join(dir, 'node_modules', '.bin', bin), ['--help'], { cwd: dir });
    if (!help.includes(`Usage: ${bin}`)) throw new ConsumerError(`${bin} --help printed no usage\n${help}`);
    const printed = run(join(dir, 'node_modules', '.bin', bin), ['--version'], { cwd: dir }).trim();
    if (printed !== version) throw new ConsumerError(`${bin} --version printed '${printed}', expected '${version}'`);
  }

  // The README in the tarball: an install line; what its other install lines add (an optional peer such as
  // core-tensor's @facelab/plot), then every example with import and with require.
  const readme = readFileSync(join(dir, 'node_modules', ...name.split('/'), 'README.md'), 'utf8');
  if (!new RegExp(`^npm install ${name.replace('/', '\\/')}`, 'm').test(readme)) throw new ConsumerError(`${name}'s README has no install line`);
  const extras = readmeInstalls(readme).filter((spec) => !existsSync(join(dir, 'node_modules', ...packageName(spec).split('/'))));
  if (extras.length > 0) run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...extras], { cwd: dir, env: npmEnv });
  const blocks = readmeBlocks(readme);
  for (const b of blocks) {
    writeFileSync(join(dir, `readme-${b.line}.mjs`), transpile(b.code, ts.ModuleKind.ESNext));
    run('node', [`readme-${b.line}.mjs`], { cwd: dir });
    // CommonJS has no top-level await: the example runs inside an async function after its requires.
    const code = transpile(b.code, ts.ModuleKind.CommonJS);
    if (!code.includes('require("@facelab/')) throw new ConsumerError(`${name} README.md:${b.line} compiled to CommonJS has no require("@facelab/…")`);
    writeFileSync(join(dir, `readme-${b.line}.cjs`), `(async () => {\n${code}\n})().catch((e) => { console.error(e); process.exit(1); });\n`);
    run('node', [`readme-${b.line}.cjs`], { cwd: dir });
    writeFileSync(join(dir, `readme-${b.line}.ts`), `${b.code}\nexport {};\n`);
  }

  // A strict TypeScript consumer: the entry's types and the README examples, under bundler and node16.
  writeFileSync(join(dir, 'consumer.ts'), `import * as m from '${name}';\nexport const names: string[] = Object.keys(m);\n`);
  for (const [moduleResolution, module] of [
    ['bundler', 'esnext'],
    ['node16', 'node16'],
  ]) {
    // skipLibCheck as every strict consumer of TensorFlow.js needs: tfjs-layers' own declarations fail under strict
    // (TS2411) and tfjs-core's name DOM types. The consumer's code is checked against our declarations all the same.
    const compilerOptions = { strict: true, skipLibCheck: true, noEmit: true, target: 'es2022', module, moduleResolution, lib: ['es2023'], types: ['node'], typeRoots };
    writeFileSync(join(dir, `tsconfig.${moduleResolution}.json`), JSON.stringify({ compilerOptions, include: ['consumer.ts', 'readme-*.ts'] }, null, 2));
    run(tsc, ['-p', `tsconfig.${moduleResolution}.json`], { cwd: dir });
  }
  const binText = bins.length ? `, ${bins.join(' ')} --help/--version` : '';
  const extraText = extras.length ? ` (+ ${extras.join(' ')} from the README)` : '';
  return `${installed.length} @facelab package(s), ${exported} exports by import = require${binText}, ${blocks.length} README example(s)${extraText}, types (bundler, node16)`;
}

/** Whether `dir` has been built (tsup writes dist/index.cjs beside dist/index.js). */
export const isBuilt = (dir) => existsSync(join(dir, 'dist', 'index.cjs'));
