#!/usr/bin/env node
// Repository metadata in one place: the root package.json's `repository` is the only copy of the repository URL
// (a placeholder until the GitHub organisation exists); every published package's `repository`, `homepage` and
// `bugs` must be the ones derived from it.
//   node tooling/check-metadata.mjs [repoRoot]          one line per mismatch; exit 1 if any
//   node tooling/check-metadata.mjs --fix [repoRoot]    rewrites the packages' fields from the root's
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The `repository`, `homepage` and `bugs` a package in `packages/<dir>` must have, from the root manifest's
 * `repository.url` (`git+https://github.com/<owner>/<name>.git`).
 */
export function expectedMetadata(rootManifest, dir) {
  const url = rootManifest.repository?.url;
  const web = /^git\+(https:\/\/.+?)\.git$/.exec(url ?? '')?.[1];
  if (!web) throw new Error(`root package.json: repository.url must be git+https://…/<name>.git, got ${JSON.stringify(url)}`);
  return {
    repository: { type: 'git', url, directory: `packages/${dir}` },
    homepage: `${web}/tree/main/packages/${dir}#readme`,
    bugs: { url: `${web}/issues` },
  };
}

/** The published packages' mismatches as `{ file, field, found, expected }`; with `fix`, rewrites them instead. */
export function checkMetadata(root, { fix = false } = {}) {
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const problems = [];
  let packages = 0;
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const file = join(root, 'packages', dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    if (manifest.private) continue;
    packages++;
    let changed = false;
    for (const [field, expected] of Object.entries(expectedMetadata(rootManifest, dir))) {
      if (JSON.stringify(manifest[field]) === JSON.stringify(expected)) continue;
      if (fix) {
        manifest[field] = expected;
        changed = true;
      } else problems.push({ file: `packages/${dir}/package.json`, field, found: manifest[field], expected });
    }
    if (changed) writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  }
  return { problems, packages };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const fix = args.includes('--fix');
  const root = resolve(args.find((a) => a !== '--fix') ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const { problems, packages } = checkMetadata(root, { fix });
  for (const p of problems) {
    console.log(`${p.file}: ${p.field} is ${JSON.stringify(p.found)}, expected ${JSON.stringify(p.expected)} (from the root package.json's repository; --fix rewrites it)`);
  }
  console.log(`repository metadata: ${packages} packages, ${problems.length === 0 ? (fix ? 'rewritten from the root' : 'all match the root') : `${problems.length} mismatch(es)`}`);
  process.exit(problems.length === 0 ? 0 : 1);
}
