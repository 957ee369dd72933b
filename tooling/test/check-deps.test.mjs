// The dependency checker on a tiny workspace (fixtures/deps) with one violation of each rule and the look-alikes
// that are not violations: comments, a URL, division, type imports, relative imports inside the package.
//   node --test tooling/test/
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { checkDeps, importsOf, scanSource } from '../check-deps.mjs';

const root = fileURLToPath(new URL('./fixtures/deps', import.meta.url));
const rules = {
  layers: [
    { name: 'base', packages: ['low'] },
    { name: 'dev', packages: ['dev'] },
    { name: 'top', packages: ['high', 'peer'] },
  ],
  sameLayer: { high: ['peer'] },
  devOnly: { top: ['dev'] },
  testHelpers: { helper: 'dev' },
};

test('reports each violation once, with file, line, what and rule', () => {
  const { violations, packages } = checkDeps(root, rules);
  assert.equal(packages, 6);
  const lines = violations.map((v) => `${v.file}:${v.line} ${v.what} — ${v.rule}`).sort();
  assert.deepEqual(lines, [
    'packages/helper/package.json:4 peerDependencies names @facelab/high — @facelab/high (layer top) is above what test helper @facelab/helper may use (layer dev)',
    'packages/helper/src/index.ts:5 imports @facelab/high — @facelab/high (layer top) is above what test helper @facelab/helper may use (layer dev)',
    'packages/high/package.json:7 dependencies names @facelab/dev — @facelab/dev is dev-only for layer top: tests, benches and demos (devDependencies), never src or dependencies',
    'packages/high/src/index.ts:5 imports left-pad — left-pad is not declared in packages/high/package.json (dependencies/peerDependencies/optionalDependencies)',
    'packages/high/src/index.ts:6 imports @facelab/dev — @facelab/dev is dev-only for layer top: tests, benches and demos (devDependencies), never src or dependencies',
    'packages/high/src/index.ts:9 imports @facelab/helper — @facelab/helper is a test helper: tests, benches and demos (devDependencies), never src or dependencies',
    'packages/high/src/index.ts:9 imports @facelab/helper — @facelab/helper is not declared in packages/high/package.json (dependencies/peerDependencies/optionalDependencies)',
    'packages/high/test/high.test.ts:2 imports sharp — sharp is not declared in packages/high/package.json (any dependency field)',
    'packages/low/src/index.ts:2 imports @facelab/high — @facelab/high (layer top) is above @facelab/low (layer base)',
    'packages/low/src/index.ts:2 imports @facelab/high — @facelab/high is not declared in packages/low/package.json (dependencies/peerDependencies/optionalDependencies)',
    'packages/low/src/index.ts:5 runs facelab-high — @facelab/high (layer top) is above @facelab/low (layer base)',
    "packages/peer/package.json:1 dependencies names @facelab/high — @facelab/high is on @facelab/peer's own layer (top) and not in its sameLayer allow-list",
    "packages/peer/src/index.ts:1 imports @facelab/high — @facelab/high is on @facelab/peer's own layer (top) and not in its sameLayer allow-list",
    'packages/stray/package.json:1 package stray — is not placed in the dependency rules (tooling/check-deps.mjs)',
  ]);
});

test('finds static, dynamic, side-effect and re-export specifiers, not strings or comments', () => {
  const text = [
    "import a from 'a'; // import b from 'b'",
    "import type { C } from 'c';",
    "import 'd';",
    "export { e } from 'e';",
    "const f = await import('f'), g = require('g');",
    "const s = 'import h from \"h\"'; const r = /'/; /* import('i') */",
    "const t = `import j from 'j'`;",
    "vi.mock('../k.js');",
  ].join('\n');
  const found = importsOf(scanSource(text)).map((i) => `${i.line}:${i.specifier}`).sort();
  assert.deepEqual(found, ['1:a', '2:c', '3:d', '4:e', '5:f', '5:g', '8:../k.js']);
});
