#!/usr/bin/env node
// Dependency-direction check: every file under packages/<p>/{src,test,bench,demo} and each package.json is read,
// and every import, spawned CLI and string naming a workspace package is held against RULES below.
//   node tooling/check-deps.mjs [repoRoot]     prints one line per violation (file:line, what, rule); exit 1 if any
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The rules, as data. Package names are directory names under packages/ (scope @facelab/). */
export const RULES = {
  /** Low → high. A package may use packages of lower layers; same-layer use only where `sameLayer` allows it. */
  layers: [
    { name: 'base', packages: ['runtime', 'metrics', 'onednn'] },
    { name: 'plot', packages: ['plot'] },
    { name: 'core', packages: ['core-tensor'] },
    { name: 'data', packages: ['data'] },
    { name: 'synth', packages: ['synth'] },
    { name: 'detect', packages: ['face-detect'] },
    { name: 'papers', packages: ['arcface', 'affwildnet', 'rpca', 'rocgan', 'densereg', 'deblur', 'end2you', 'augment'] },
  ],
  /** Same-layer imports that are allowed: package → the packages of its own layer it may use. */
  sameLayer: { deblur: ['arcface', 'densereg'], rpca: ['rocgan', 'arcface'] },
  /** Packages the `src/` of a layer must not use (its tests, benches and demos may): layer → packages. */
  devOnly: { detect: ['synth'], papers: ['synth'] },
  /**
   * Private test helpers outside the layers: any package's test/bench/demo may use them (they are everyone's
   * devDependency), no package's `src/` may; they themselves may use packages up to and including the named layer.
   */
  testHelpers: { 'test-utils': 'core' },
};

const SCOPE = '@facelab/';
const CODE_DIRS = ['src', 'test', 'bench', 'demo'];
const CODE_EXT = /\.(?:[cm]?[jt]s|tsx)$/;
const DEP_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];
const builtins = new Set(builtinModules);

/**
 * Splits source text into code (comments and string contents blanked, newlines kept) and its string literals with
 * their line numbers. Template literals count as strings; `/…/` after an operator counts as a regex literal.
 */
export function scanSource(text) {
  const strings = [];
  let code = '';
  let line = 1;
  let i = 0;
  let prev = ''; // the last code character that is not white space
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      const newlines = text.slice(i, stop).split('\n').length - 1;
      code += '\n'.repeat(newlines);
      line += newlines;
      i = stop;
    } else if (c === "'" || c === '"' || c === '`' || (c === '/' && (prev === '' || '(,=:[!&|?{};+-*%<>~^'.includes(prev)))) {
      const start = line;
      let value = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\') value += text[i++];
        if (text[i] === '\n') {
          line++;
          code += '\n';
          if (c !== '`') break; // unterminated quote: stop at the line end
        }
        value += text[i++];
      }
      i++;
      prev = c;
      if (c === '/') {
        code += '/ /';
      } else {
        // The literal stays in the code as an index into `strings`, so patterns can match `from '…'`.
        code += `${c}\u0000${strings.length}${c}`;
        strings.push({ value, line: start });
      }
    } else {
      if (c === '\n') line++;
      else if (c.trim() !== '') prev = c;
      code += c;
      i++;
    }
  }
  return { code, strings };
}

/** Module specifiers a file imports, requires or resolves: `{ specifier, line, index }` (index into `strings`). */
export function importsOf({ code, strings }) {
  const found = [];
  const lit = String.raw`(['"\`])\u0000(\d+)\1`;
  const patterns = [
    new RegExp(String.raw`\b(?:import|export)\b[^;'"\`]*?\bfrom\s*${lit}`, 'g'),
    new RegExp(String.raw`\bimport\s*${lit}`, 'g'),
    new RegExp(String.raw`\b(?:import|require|require\.resolve|import\.meta\.resolve|vi\.mock|vi\.doMock|vi\.importActual)\s*\(\s*${lit}`, 'g'),
    new RegExp(String.raw`\bimport\s*\(\s*${lit}`, 'g'),
  ];
  const seen = new Set();
  for (const re of patterns) {
    for (const m of code.matchAll(re)) {
      const index = Number(m[2]);
      if (seen.has(index)) continue;
      seen.add(index);
      // A template literal with a substitution names no package the checker can know.
      if (m[1] === '`' && strings[index].value.includes('${')) continue;
      found.push({ specifier: strings[index].value, line: strings[index].line, index });
    }
  }
  return found;
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist') return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : CODE_EXT.test(name) ? [path] : [];
  });
}

/** Checks the workspace at `root` against `rules`; returns `{ violations: [{ file, line, what, rule }], files }`. */
export function checkDeps(root, rules = RULES) {
  const packagesDir = join(root, 'packages');
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const layerOf = new Map();
  rules.layers.forEach((layer, index) => layer.packages.forEach((p) => layerOf.set(p, { ...layer, index })));
  const layerIndex = (name) => rules.layers.findIndex((l) => l.name === name);
  const helperLayer = (p) => layerIndex(rules.testHelpers[p]);

  const dirs = readdirSync(packagesDir).filter((d) => existsSync(join(packagesDir, d, 'package.json')));
  const manifests = new Map(dirs.map((d) => [d, JSON.parse(readFileSync(join(packagesDir, d, 'package.json'), 'utf8'))]));
  const bins = new Map();
  for (const [dir, m] of manifests) for (const bin of Object.keys(m.bin ?? {})) bins.set(bin, dir);

  const violations = [];
  const report = (file, line, what, rule) => violations.push({ file: relative(root, file).split(sep).join('/'), line, what, rule });

  /** Why `from` (in a src file or not) may not use `to`, or undefined when it may. */
  function layerRule(from, to, inSrc) {
    if (from === to) return undefined;
    if (to in rules.testHelpers) {
      return inSrc ? `${SCOPE}${to} is a test helper: tests, benches and demos (devDependencies), never src or dependencies` : undefined;
    }
    const target = layerOf.get(to);
    if (!target) return `${SCOPE}${to} is not placed in the dependency rules (tooling/check-deps.mjs)`;
    if (from in rules.testHelpers) {
      const top = rules.layers[helperLayer(from)];
      return target.index > helperLayer(from) ? `${SCOPE}${to} (layer ${target.name}) is above what test helper ${SCOPE}${from} may use (layer ${top.name})` : undefined;
    }
    const fromIndex = layerOf.get(from).index;
    const fromLayer = rules.layers[fromIndex];
    if (target.index > fromIndex) return `${SCOPE}${to} (layer ${target.name}) is above ${SCOPE}${from} (layer ${fromLayer.name})`;
    if (target.index === fromIndex && !(rules.sameLayer[from] ?? []).includes(to)) {
      return `${SCOPE}${to} is on ${SCOPE}${from}'s own layer (${fromLayer.name}) and not in its sameLayer allow-list`;
    }
    if (inSrc && (rules.devOnly[fromLayer.name] ?? []).includes(to)) {
      return `${SCOPE}${to} is dev-only for layer ${fromLayer.name}: tests, benches and demos (devDependencies), never src or dependencies`;
    }
    return undefined;
  }

  let files = 0;
  for (const [dir, manifest] of manifests) {
    const manifestFile = join(packagesDir, dir, 'package.json');
    const manifestText = readFileSync(manifestFile, 'utf8');
    /** The line of `"dep"` within `"field"` in the manifest text. */
    const manifestLine = (field, dep) => {
      const at = manifestText.indexOf(`"${dep}"`, manifestText.indexOf(`"${field}"`));
      return manifestText.slice(0, at).split('\n').length;
    };
    if (!layerOf.has(dir) && !(dir in rules.testHelpers)) {
      report(manifestFile, 1, `package ${dir}`, 'is not placed in the dependency rules (tooling/check-deps.mjs)');
      continue;
    }
    // The manifest: what it depends on must be allowed; dev-only packages only as devDependencies.
    for (const field of [...DEP_FIELDS, 'devDependencies']) {
      for (const dep of Object.keys(manifest[field] ?? {})) {
        if (!dep.startsWith(SCOPE)) continue;
        const why = layerRule(dir, dep.slice(SCOPE.length), field !== 'devDependencies');
        if (why) report(manifestFile, manifestLine(field, dep), `${field} names ${dep}`, why);
      }
    }
    const declaredForSrc = new Set(DEP_FIELDS.flatMap((f) => Object.keys(manifest[f] ?? {})));
    const declaredForDev = new Set([
      ...declaredForSrc,
      ...Object.keys(manifest.devDependencies ?? {}),
      ...Object.keys(rootManifest.devDependencies ?? {}),
    ]);

    const pkgRoot = join(packagesDir, dir);
    const configFiles = readdirSync(pkgRoot).filter((f) => CODE_EXT.test(f)).map((f) => join(pkgRoot, f));
    for (const file of [...CODE_DIRS.flatMap((d) => filesUnder(join(pkgRoot, d))), ...configFiles]) {
      files++;
      const inSrc = file.startsWith(join(pkgRoot, 'src') + sep);
      const source = scanSource(readFileSync(file, 'utf8'));
      const imports = importsOf(source);
      for (const { specifier, line } of imports) {
        let target;
        if (specifier.startsWith('.')) {
          const rel = relative(packagesDir, resolve(dirname(file), specifier)).split(sep);
          if (rel[0] === '..' || rel[0] === dir) continue; // outside packages/, or inside this package
          target = rel[0];
        } else if (specifier.startsWith('node:') || builtins.has(packageNameOf(specifier))) {
          continue;
        } else {
          const name = packageNameOf(specifier);
          if (name === `${SCOPE}${dir}`) continue;
          const declared = inSrc ? declaredForSrc : declaredForDev;
          if (!declared.has(name)) {
            report(file, line, `imports ${specifier}`, `${name} is not declared in packages/${dir}/package.json (${inSrc ? DEP_FIELDS.join('/') : 'any dependency field'})`);
          }
          if (!name.startsWith(SCOPE)) continue;
          target = name.slice(SCOPE.length);
        }
        if (specifier.startsWith('.') && !declaredForDev.has(`${SCOPE}${target}`)) {
          report(file, line, `imports ${specifier}`, `reaches into packages/${target}, which packages/${dir}/package.json does not declare`);
        }
        const why = layerRule(dir, target, inSrc);
        if (why) report(file, line, `imports ${specifier}`, why);
      }
      // Names: any other string literal that names a package or runs one of its CLIs.
      const specifiers = new Set(imports.map((im) => im.index));
      for (const [index, { value, line }] of source.strings.entries()) {
        if (specifiers.has(index)) continue;
        for (const m of value.matchAll(/@facelab\/([a-z0-9-]+)/g)) {
          const why = layerRule(dir, m[1], inSrc);
          if (why) report(file, line, `names ${m[0]}`, why);
        }
        for (const m of value.matchAll(/\bfacelab-[a-z0-9-]+/g)) {
          const owner = bins.get(m[0]);
          const why = owner && layerRule(dir, owner, inSrc);
          if (why) report(file, line, `runs ${m[0]}`, why);
        }
      }
    }
  }
  return { violations, files, packages: manifests.size };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const { violations, files, packages } = checkDeps(root);
  for (const v of violations) console.log(`${v.file}:${v.line}  ${v.what}  — ${v.rule}`);
  console.log(
    violations.length === 0
      ? `dependency rules: ${packages} packages, ${files} files, no violations`
      : `dependency rules: ${violations.length} violation(s) in ${new Set(violations.map((v) => v.file)).size} file(s)`,
  );
  process.exit(violations.length === 0 ? 0 : 1);
}
