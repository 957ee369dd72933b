/** Every ts/js example in this package's README runs as written (where the addon is built: the examples call it). */
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { describeReadmeExamples } from '@facelab/test-utils';
import { addonPath } from '../src/index.js';

if (existsSync(addonPath())) describeReadmeExamples(new URL('..', import.meta.url));
else describe('README examples', () => it.skip('need the addon, which was not built here (see build/not-built.txt)', () => undefined));
