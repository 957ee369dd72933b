// Adds up the vitest JSON reports of every package and prints the malformed-input corpus count and one closing line: "tests: N passed, N failed".
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
// The malformed-input corpus (describeMalformed in @facelab/test-utils): its tests' titles start with this.
const corpus = { passed: 0, failed: 0 };
const missing = [];
for (const pkg of readdirSync('packages')) {
  const file = join('packages', pkg, 'test-results.json');
  if (!existsSync(file)) {
    missing.push(pkg);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  for (const file of report.testResults)
    for (const test of file.assertionResults)
      if (test.title.startsWith('malformed: ')) corpus[test.status === 'passed' ? 'passed' : 'failed'] += 1;
}
if (missing.length > 0) console.log(`no test report from: ${missing.join(', ')}`);
console.log(`malformed-input corpus: ${corpus.passed + corpus.failed} cases, ${corpus.failed} not handled as expected`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 || passed === 0 ? 1 : 0);
