import { initBackend } from '@facelab/core-tensor';
import { Matrix } from 'ml-matrix';
import { beforeAll, expect, test } from 'vitest';
import {
  pcp,
  pcpf,
  pcps,
  pcpsf,
  randomizedSvd,
} from '../src/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const M = [
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 10],
  [1, 0, 1],
];
const I = (n: number, d: number) => Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));

test('non-finite entries are rejected with their position', () => {
  const bad = M.map((r) => [...r]);
  bad[2]![1] = NaN;
  expect(() => pcp(bad)).toThrow(/M\[2\]\[1\] is NaN/);
  bad[2]![1] = Infinity;
  expect(() => pcp(bad)).toThrow(/M\[2\]\[1\] is Infinity/);
  expect(() => pcps(M, M.map((r) => r.map(() => -Infinity)))).toThrow(/N\[0\]\[0\] is -Infinity/);
});

test('empty, 1-D, ragged and non-matrix input', () => {
  expect(() => pcp([])).toThrow(/M is empty/);
  expect(() => pcp([[]])).toThrow(/M is empty \(0 columns\)/);
  expect(() => pcp(new Matrix(0, 0))).toThrow(/M is empty/);
  expect(() => pcp([1, 2, 3] as unknown as number[][])).toThrow(/M is 1-D/);
  expect(() => pcp([[1, 2], [3]])).toThrow(/M row 1 has 1 entries but row 0 has 2/);
  expect(() => pcp('x' as unknown as number[][])).toThrow(/M must be an ml-matrix Matrix or a number\[\]\[\]/);
});

test('mask shape and values', () => {
  expect(() => pcp(M, { mask: [[1, 1, 1]] })).toThrow(/mask is 1×3 but M is 4×3/);
  expect(() => pcp(M, { mask: M.map((r) => r.map(() => 0.5)) })).toThrow(/mask\[0\]\[0\] is 0.5: mask entries must be 0 or 1/);
  expect(() => pcp(M, { mask: M.map((r) => r.map(() => 0)) })).toThrow(/mask has no observed entry/);
});

test('feature and prior shapes', () => {
  expect(() => pcpf(M, I(3, 2), I(3, 2))).toThrow(/X has 3 rows but M has 4 rows/);
  expect(() => pcpf(M, I(4, 2), I(4, 2))).toThrow(/Y has 4 rows but M has 3 columns/);
  expect(() => pcpf(M, I(4, 2), [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]])).toThrow(/Y has 4 columns, more than its 3 rows/);
  expect(() => pcps(M, [[1, 2, 3]])).toThrow(/N is 1×3 but M is 4×3/);
  expect(() => pcpsf(M, M, I(4, 2), I(2, 2))).toThrow(/Y has 2 rows but M has 3 columns/);
});

test('rank-deficient features name the argument', () => {
  const X = [
    [1, 2],
    [2, 4],
    [3, 6],
    [4, 8],
  ];
  expect(() => pcpf(M, X, I(3, 2))).toThrow(/X has rank lower than its 2 columns/);
  expect(() => pcpf(M, I(4, 2), [[1, 0], [0, 0], [0, 0]])).toThrow(/Y has rank lower than its 2 columns/);
});

test('bad options', () => {
  expect(() => pcp(M, { lambda: -1 })).toThrow(/lambda must be a positive number or 'observed'/);
  expect(() => pcp(M, { tolDual: 0 })).toThrow(/tolDual must be a positive number/);
  expect(() => pcps(M, M, { alpha: -1 })).toThrow(/alpha must be a non-negative number/);
  expect(() => pcp(M, { maxIter: 0 })).toThrow(/maxIter must be a positive integer/);
  expect(() => randomizedSvd(M, 4)).toThrow(/k must be an integer in \[1, 3\]/);
});
