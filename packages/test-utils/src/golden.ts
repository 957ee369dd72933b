/** Golden files: JSON made by a committed script (test/golden/make_*.py) beside the test that reads it. */
import { readFileSync } from 'node:fs';

/** Parses `test/golden/<file>` relative to the calling test file: `readGolden(import.meta.url, 'x.json')`. */
export function readGolden<T = any>(testFileUrl: string, file: string): T {
  return JSON.parse(readFileSync(new URL(`./golden/${file}`, testFileUrl), 'utf8')) as T;
}
