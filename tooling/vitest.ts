/**
 * The vitest configuration every package extends: tests under test/, generous timeouts for model tests on two
 * cores, one process per file, and every workspace package resolved to its source (no build needed to test).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig, type ViteUserConfig as UserConfig } from 'vitest/config';

type Alias = { find: RegExp | string; replacement: string };

const packagesDir = fileURLToPath(new URL('../packages', import.meta.url));

/**
 * `@facelab/<name>` (exactly, so subpaths such as `@facelab/test-utils/backends` resolve through the package's
 * `exports`) → `packages/<dir>/src/index.ts`, for every workspace package with a source entry.
 */
function workspaceAliases(): Alias[] {
  const aliases: Alias[] = [];
  for (const dir of readdirSync(packagesDir)) {
    const manifest = join(packagesDir, dir, 'package.json');
    const entry = join(packagesDir, dir, 'src', 'index.ts');
    if (!existsSync(manifest) || !existsSync(entry)) continue;
    const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name;
    aliases.push({ find: new RegExp(`^${name.replace(/[/.-]/g, '\\$&')}$`), replacement: entry });
  }
  return aliases;
}

/** A package's vitest config; `overrides.test` is merged into the shared test options, `resolve.alias` entries appended. */
export function packageVitestConfig(overrides: UserConfig = {}): UserConfig {
  return defineConfig({
    ...overrides,
    resolve: { ...overrides.resolve, alias: [...workspaceAliases(), ...((overrides.resolve?.alias as Alias[] | undefined) ?? [])] },
    test: {
      include: ['test/**/*.test.ts'],
      exclude: [...configDefaults.exclude, 'test/gpu/**'],
      testTimeout: 120_000,
      hookTimeout: 120_000,
      pool: 'forks',
      ...overrides.test,
    },
  });
}

/**
 * A package's GPU integration suite (`test-gpu` target, `npm run test:gpu`): test/gpu/*.gpu.test.ts, which
 * `npm test` leaves out, with backend log lines silenced so each file's skip and summary lines stand out.
 */
export function gpuVitestConfig(): UserConfig {
  return packageVitestConfig({
    test: { include: ['test/gpu/**/*.gpu.test.ts'], exclude: [...configDefaults.exclude], env: { FACELAB_QUIET: '1' } },
  });
}
