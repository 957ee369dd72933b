import { describe, expect, it } from 'vitest';
import { readmeBlocks } from '../src/readme.js';

describe('readmeBlocks', () => {
  it('finds ts/js blocks with their lines, ignores other languages, reads skip comments', () => {
    const md = [
      '# x', // 1
      '```sh', // 2
      'npm install left-pad', // 3
      '```', // 4
      '```ts', // 5
      'const a = 1;', // 6
      '```', // 7
      '<!-- readme-test: skip needs lfw.bin -->', // 8
      '', // 9
      '```js', // 10
      'b();', // 11
      'c();', // 12
      '```', // 13
    ].join('\n');
    expect(readmeBlocks(md)).toEqual([
      { line: 5, lang: 'ts', code: 'const a = 1;' },
      { line: 10, lang: 'js', code: 'b();\nc();', skip: 'needs lfw.bin' },
    ]);
    expect(() => readmeBlocks('```ts\nx')).toThrow('README line 1: unclosed code block');
  });
});
