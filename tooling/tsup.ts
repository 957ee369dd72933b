/**
 * The tsup configuration every package extends: for Node 20, the library entries as ESM (`dist/*.js`,
 * `*.d.ts`) and as CommonJS for `require` (`dist/*.cjs`, `*.d.cts`); CLI bins as ESM only. Declarations from the
 * library entries, no source maps in the tarball. Other facelab packages stay external and their types come
 * from their built dist.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

const isSibling = (x: string | RegExp): x is string => typeof x === 'string' && x.startsWith('./');

/**
 * Sibling entries kept external (`'./tf-namespace.js'`) are required as their CommonJS build (`.cjs`): the
 * specifier is rewritten in dist/*.cjs after the build (an esbuild plugin cannot, tsup's external plugin resolves
 * first; and dropping them from `external` would bundle them into the .d.cts).
 */
function requireSiblingsAsCjs(external: (string | RegExp)[]): () => Promise<void> {
  const siblings = external.filter(isSibling);
  return async () => {
    for (const file of (await readdir('dist')).filter((f) => f.endsWith('.cjs'))) {
      const text = await readFile(join('dist', file), 'utf8');
      const out = siblings.reduce((t, s) => t.replaceAll(`require(${JSON.stringify(s)})`, `require(${JSON.stringify(s.replace(/\.js$/, '.cjs'))})`), text);
      if (out !== text) await writeFile(join('dist', file), out);
    }
  };
}

/** A package's browser entry (the `browser` export condition and `./browser`), when it has one. */
const BROWSER_ENTRY = 'src/browser.ts';

/**
 * A package's tsup config: `entry` lists src/index.ts first, then any CLI bins (ESM only). `overrides` apply to
 * both builds; `libraryEntries` (default: the first entry) are the entries also built as CommonJS. A package with
 * src/browser.ts gets it as one more library entry (dist/browser.{js,cjs,d.ts,d.cts}).
 */
export function packageTsupConfig(entry: string[], overrides: Options = {}, libraryEntries: string[] = entry.slice(0, 1)): Options[] {
  if (existsSync(BROWSER_ENTRY) && !entry.includes(BROWSER_ENTRY)) {
    entry = [...entry, BROWSER_ENTRY];
    libraryEntries = [...libraryEntries, BROWSER_ENTRY];
    const dts = overrides.dts;
    if (typeof dts === 'object' && Array.isArray(dts.entry)) overrides = { ...overrides, dts: { ...dts, entry: [...dts.entry, BROWSER_ENTRY] } };
  }
  const common: Options = {
    dts: { entry: libraryEntries, compilerOptions: { paths: {} } },
    sourcemap: false,
    target: 'node20',
    external: [/^@facelab\//],
    ...overrides,
  };
  return defineConfig([
    // The two builds run at once: each cleans dist/ but the other's files.
    { ...common, entry, format: ['esm'], splitting: true, clean: ['!**/*.cjs', '!**/*.d.cts'] },
    // import.meta.url (runtime's onnxruntime loader) becomes a shim computed from __filename.
    {
      ...common,
      entry: libraryEntries,
      format: ['cjs'],
      splitting: false,
      shims: true,
      clean: ['!**/*.js', '!**/*.d.ts'],
      onSuccess: requireSiblingsAsCjs(common.external ?? []),
    },
  ]) as Options[];
}
