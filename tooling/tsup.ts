/**
 * The tsup configuration every package extends: ESM for Node 20, declarations from the public entry, no source
 * maps in the tarball. Other facelab packages stay external and their types come from their built dist.
 */
import { defineConfig, type Options } from 'tsup';

/** A package's tsup config: `entry` lists src/index.ts first, then any CLI bins. */
export function packageTsupConfig(entry: string[], overrides: Options = {}): Options | Options[] {
  return defineConfig({
    entry,
    format: ['esm'],
    dts: { entry: entry[0], compilerOptions: { paths: {} } },
    sourcemap: false,
    clean: true,
    target: 'node20',
    splitting: true,
    external: [/^@facelab\//],
    ...overrides,
  }) as Options;
}
