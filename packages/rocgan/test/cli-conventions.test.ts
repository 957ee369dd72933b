/** facelab-rocgan against the shared CLI conventions (@facelab/runtime's createProgram/runProgram). */
import { readFileSync } from 'node:fs';
import { describeCliConventions } from '@facelab/test-utils';
import { buildProgram } from '../src/cli/program.js';

describeCliConventions(buildProgram, {
  version: (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version,
  command: ['train'],
  missingFile: { args: ['evaluate', '--model', '/nonexistent/checkpoints', '--data', '.'], path: '/nonexistent/checkpoints' },
  notANumber: { args: ['train', '--data', '.', '--steps', 'abc'], flag: '--steps' },
});
