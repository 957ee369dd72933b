// The browser-bundle check: on this repository every package's browser entry (`browser` condition) bundles for the browser within its gzip
// budget; on a temporary workspace, a Node built-in reached from a browser entry (directly or through another
// package's browser entry) fails the bundle, naming the importing file.
//   node --test tooling/test/
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { bundleBrowserEntry, checkBrowserBundles, publishedPackages } from '../browser-bundles.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The packages whose inference paths the browser demo needs; each must keep a browser entry. */
const REQUIRED = ['@facelab/runtime', '@facelab/metrics', '@facelab/core-tensor', '@facelab/data', '@facelab/arcface', '@facelab/affwildnet', '@facelab/rpca'];

test('every browser entry of this repository bundles for the browser, within its budget', async () => {
  const rows = await checkBrowserBundles(repo);
  for (const name of REQUIRED) assert.ok(rows.find((r) => r.name === name)?.browser, `${name} has no browser condition in exports['.']`);
  for (const r of rows.filter((x) => x.browser)) {
    assert.equal(r.error, undefined, `${r.name} (browser): ${r.error}`);
    assert.ok(r.gzip > 0 && r.gzip <= r.budget && r.ownBytes <= r.bytes, `${r.name}: ${JSON.stringify(r)}`);
  }
});

function manifest(name) {
  return { name, exports: { '.': { browser: { default: './dist/browser.js' }, import: { default: './dist/index.js' } } } };
}

test('a Node built-in behind a browser entry fails the bundle and names the file importing it', async () => {
  const root = mkdtempSync(join(tmpdir(), 'browser-bundles-'));
  const files = {
    'packages/low/package.json': JSON.stringify(manifest('@x/low')),
    'packages/low/src/browser.ts': "import { readFileSync } from 'node:fs';\nexport const read = (p: string) => readFileSync(p);\n",
    'packages/low/src/index.ts': 'export {};\n',
    'packages/high/package.json': JSON.stringify(manifest('@x/high')),
    'packages/high/src/browser.ts': "export { read } from '@x/low';\n",
    'packages/ok/package.json': JSON.stringify(manifest('@x/ok')),
    'packages/ok/src/browser.ts': 'export const twice = (x: number) => 2 * x;\n',
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  const packages = publishedPackages(root);
  const low = join(root, 'packages', 'low', 'src', 'browser.ts');
  for (const name of ['@x/low', '@x/high']) {
    await assert.rejects(bundleBrowserEntry(root, packages, name), (err) => {
      const text = err.errors.map((e) => e.text).join('\n');
      assert.match(text, /Node built-in 'node:fs' imported by /);
      assert.ok(text.includes(low), text);
      return true;
    });
  }
  const ok = await bundleBrowserEntry(root, packages, '@x/ok');
  assert.ok(ok.bytes > 0 && ok.ownBytes > 0);
});
