// The repository-metadata check on a temporary workspace: a package whose homepage drifted from the root's
// repository is reported, a private one is skipped, and --fix rewrites the drifted fields.
//   node --test tooling/test/
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkMetadata, expectedMetadata } from '../check-metadata.mjs';

const ROOT = { name: 'ws', private: true, repository: { type: 'git', url: 'git+https://github.com/org/repo.git' } };

function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'check-metadata-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify(ROOT));
  for (const [dir, manifest] of [
    ['good', { name: '@x/good', ...expectedMetadata(ROOT, 'good') }],
    ['drifted', { name: '@x/drifted', ...expectedMetadata(ROOT, 'drifted'), homepage: 'https://github.com/old/repo#readme' }],
    ['private', { name: '@x/private', private: true }],
  ]) {
    mkdirSync(join(root, 'packages', dir), { recursive: true });
    writeFileSync(join(root, 'packages', dir, 'package.json'), JSON.stringify(manifest));
  }
  return root;
}

test('derives repository, homepage and bugs from the root repository URL', () => {
  assert.deepEqual(expectedMetadata(ROOT, 'rpca'), {
    repository: { type: 'git', url: 'git+https://github.com/org/repo.git', directory: 'packages/rpca' },
    homepage: 'https://github.com/org/repo/tree/main/packages/rpca#readme',
    bugs: { url: 'https://github.com/org/repo/issues' },
  });
  assert.throws(() => expectedMetadata({}, 'rpca'), /root package.json: repository.url must be/);
});

test('reports the drifted field of a published package, and --fix rewrites it', () => {
  const root = workspace();
  const { problems, packages } = checkMetadata(root);
  assert.equal(packages, 2);
  assert.deepEqual(problems.map((p) => `${p.file} ${p.field}`), ['packages/drifted/package.json homepage']);
  checkMetadata(root, { fix: true });
  assert.deepEqual(checkMetadata(root).problems, []);
  assert.equal(JSON.parse(readFileSync(join(root, 'packages', 'drifted', 'package.json'), 'utf8')).homepage, 'https://github.com/org/repo/tree/main/packages/drifted#readme');
});
