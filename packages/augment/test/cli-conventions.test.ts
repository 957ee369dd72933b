/** facelab-augment against the shared CLI conventions (@facelab/runtime's createProgram/runProgram). */
import { readFileSync } from 'node:fs';
import { describeCliConventions } from '@facelab/test-utils';
import { buildProgram } from '../src/cli/program.js';

describeCliConventions(buildProgram, {
  version: (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version,
  command: ['fit'],
  missingFile: { args: ['fit', '/nonexistent/clips', '-o', 'model'], path: '/nonexistent/clips' },
  notANumber: { args: ['fit', '.', '-o', 'model', '--steps', 'abc'], flag: '--steps' },
});
