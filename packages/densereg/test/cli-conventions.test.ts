/** facelab-densereg against the shared CLI conventions (@facelab/runtime's createProgram/runProgram). */
import { readFileSync } from 'node:fs';
import { describeCliConventions } from '@facelab/test-utils';
import { buildProgram } from '../src/cli/program.js';

describeCliConventions(buildProgram, {
  version: (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version,
  command: ['train'],
  missingFile: { args: ['evaluate', '/nonexistent/model', '.'], path: '/nonexistent/model' },
  notANumber: { args: ['train', '.', '--out', 'x', '--steps', 'abc'], flag: '--steps' },
});
