/** facelab-end2you against the shared CLI conventions (@facelab/runtime's createProgram/runProgram). */
import { readFileSync } from 'node:fs';
import { describeCliConventions } from '@facelab/test-utils';
import { buildProgram } from '../src/cli/program.js';

describeCliConventions(buildProgram, {
  version: (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version,
  command: ['train'],
  missingFile: { args: ['generate', '--input-list', '/nonexistent/input.csv', '--out', 'h5'], path: '/nonexistent/input.csv' },
  notANumber: { args: ['train', '--train', '.', '--valid', '.', '--out', 'run', '--epochs', 'abc'], flag: '--epochs' },
});
