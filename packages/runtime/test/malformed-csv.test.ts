/**
 * Malformed-input corpus of the CSV reader, the strict decimal parser, the manifest path check and the CLI
 * number flags: each case is one bad input, generated into a temporary folder.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMalformed, type MalformedCase } from '@facelab/test-utils';
import { afterAll, beforeAll, expect } from 'vitest';
import { csvNumber, decimalNumber, parseInteger, parseNumber, readCsv, resolveInside } from '../src/index.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'malformed-csv-'));
  await mkdir(join(dir, 'folder.csv'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Reads `text` written to a fresh file `name`. */
async function csvOf(name: string, text: string | Uint8Array, header = true) {
  const path = join(dir, name);
  await writeFile(path, text);
  return readCsv(path, { header });
}

const files: MalformedCase[] = [
  { name: 'missing file', run: () => readCsv(join(dir, 'absent.csv')), error: 'absent.csv: ENOENT' },
  { name: 'a folder instead of a file', run: () => readCsv(join(dir, 'folder.csv')), error: 'folder.csv: EISDIR' },
  { name: 'path through a file', run: () => readCsv(join(dir, 'plain.csv', 'x.csv')), error: 'plain.csv' },
  { name: 'unterminated quote', run: () => csvOf('quote.csv', 'a,b\n"x,1\n'), error: /quote\.csv:\d+: .*[Qq]uote/ },
  { name: 'quote inside an unquoted field', run: () => csvOf('inner.csv', 'a,b\nx"y,1\n'), error: /inner\.csv:2: / },
  { name: 'text after a closing quote', run: () => csvOf('after.csv', 'a,b\n"x"y,1\n'), error: /after\.csv:2: / },
  { name: 'empty file', run: () => csvOf('empty.csv', ''), ok: (t) => expect(t).toEqual({ header: [], rows: [] }) },
  { name: 'only a BOM', run: () => csvOf('bom.csv', '\uFEFF'), ok: (t) => expect(t).toEqual({ header: [], rows: [] }) },
  {
    name: 'BOM, CRLF and blank lines',
    run: () => csvOf('crlf.csv', '\uFEFFa,b\r\n\r\n1,2\r\n'),
    ok: (t) => expect(t).toEqual({ header: ['a', 'b'], rows: [{ line: 3, fields: ['1', '2'], record: { a: '1', b: '2' } }] }),
  },
  { name: 'binary garbage', run: () => csvOf('bin.csv', new Uint8Array([0x22, 0, 0xff, 0x0a, 0x22, 0x22, 0x41])), error: 'bin.csv' },
];

// A row with a field count other than the header's, at several lines and counts.
const ragged: MalformedCase[] = [
  [2, 'a,b\n1\n'],
  [2, 'a,b\n1,2,3\n'],
  [4, 'a,b\n1,2\n3,4\n5,6,7\n'],
  [4, 'a,b,c\n1,2,3\n\n4\n'],
  [2, 'a\n1,2\n'],
].map(([line, text], k) => ({
  name: `row ${line} with the wrong field count (${k + 1})`,
  run: () => csvOf(`ragged${k}.csv`, text as string),
  error: new RegExp(`ragged${k}\\.csv:${line}: `),
}));

// Two columns of one name: a record could hold only one of them.
const duplicates: MalformedCase[] = [
  ['a,a', "'a' (columns 1 and 2)"],
  ['path,valence,path', "'path' (columns 1 and 3)"],
  ['x,y,z,y', "'y' (columns 2 and 4)"],
  [' v , v ', "'v' (columns 1 and 2)"],
  ['"a","a"', "'a' (columns 1 and 2)"],
].map(([head, what], k) => ({
  name: `duplicate column names '${head}'`,
  run: () => csvOf(`dup${k}.csv`, `${head}\n${head.split(',').map((_, i) => i).join(',')}\n`),
  error: `dup${k}.csv:1: duplicate column name ${what}`,
}));

const notDecimal = ['0x10', '0X1f', '0b101', '0o17', 'Infinity', '-Infinity', 'NaN', '', '  ', '1,5', '1_000', '1e', '.', '+', '--1', '1.2.3', '١٢', '1e5x', 'e5', '0x', '12abc', 'true'];
const numbers: MalformedCase[] = [
  ...notDecimal.map((text) => ({
    name: `decimalNumber('${text}') is not a number`,
    run: () => decimalNumber(text),
    ok: (v: unknown) => expect(v).toBeNaN(),
  })),
  ...([['  -1.5e-3 ', -0.0015], ['+7', 7], ['.5', 0.5], ['5.', 5], ['007', 7], ['1E3', 1000]] as const).map(([text, value]) => ({
    name: `decimalNumber('${text}') is ${value}`,
    run: () => decimalNumber(text),
    ok: (v: unknown) => expect(v).toBe(value),
  })),
  ...['0x10', '0b1', 'Infinity', '1e999', ''].map((text, k) => ({
    name: `csvNumber of '${text}' names file, line and column`,
    run: async () => csvNumber((await csvOf(`num${k}.csv`, `a,b\nx,"${text}"\n`)).rows[0]!, 'b', `num${k}.csv`),
    error: `num${k}.csv:2: column "b" is not a number: '${text}'`,
  })),
];

const outside: MalformedCase[] = [
  '../x.jpg',
  '../../etc/passwd',
  'a/../../x',
  'a/b/../../../x',
  '..',
  './../x',
  'frames/../../x.jpg',
].map((path) => ({ name: `resolveInside: '${path}' climbs out`, run: () => resolveInside('/data/set', path), error: `'${path}' resolves outside /data/set` }));
const paths: MalformedCase[] = [
  ...outside,
  { name: 'resolveInside: absolute path by default', run: () => resolveInside('/data/set', '/etc/passwd'), error: "'/etc/passwd' is absolute" },
  { name: 'resolveInside: NUL byte', run: () => resolveInside('/data/set', 'a\0b'), error: 'NUL byte' },
  { name: 'resolveInside: absolute path allowed', run: () => resolveInside('/data', '/etc/x', { allowAbsolute: true }), ok: (p) => expect(p).toBe('/etc/x') },
  { name: 'resolveInside: allowAbsolute still rejects ..', run: () => resolveInside('/data', '../x', { allowAbsolute: true }), error: 'resolves outside' },
  { name: 'resolveInside: .. that stays inside', run: () => resolveInside('/data', 'a/../b.jpg'), ok: (p) => expect(p).toBe('/data/b.jpg') },
  { name: "resolveInside: a name starting with '..'", run: () => resolveInside('/data', '..hidden/x'), ok: (p) => expect(p).toBe('/data/..hidden/x') },
  { name: 'resolveInside: relative root', run: () => resolveInside('set', '../../x'), error: 'resolves outside set' },
];

// The number parsers of the command-line flags (commander turns their errors into usage errors).
const flags: MalformedCase[] = [
  ...['0x10', '0b1', '1.5', '-1', '', 'abc', '1e999', 'Infinity'].map((text) => ({
    name: `integer flag '${text}'`,
    run: () => parseInteger(0)(text),
    error: 'expected an integer ≥ 0',
  })),
  ...['0x10', 'NaN', 'Infinity', '', '1e999', '-0.5'].map((text) => ({
    name: `non-negative number flag '${text}'`,
    run: () => parseNumber(0)(text),
    error: 'expected a number ≥ 0',
  })),
];

describeMalformed('runtime csv files', files);
describeMalformed('runtime csv ragged rows', ragged);
describeMalformed('runtime csv duplicate columns', duplicates);
describeMalformed('runtime numbers', numbers);
describeMalformed('runtime manifest paths', paths);
describeMalformed('runtime cli number flags', flags);
