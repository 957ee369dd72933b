/** Malformed-input corpus of the metrics: inputs that are not numbers, ragged or mismatched arrays, bad ddof. */
import { describeMalformed, type MalformedCase } from '@facelab/test-utils';
import { expect } from 'vitest';
import { ccc, cccPerSequenceMean, mae, mse, pearson, sagr } from '../src/index.js';

type Metric = (a: never, b: never, o?: never) => number;
const call = (f: Metric, ...args: unknown[]) => () => (f as (...xs: unknown[]) => number)(...args);

const notNumbers: [string, unknown][] = [
  ["['1', '2']", ['1', '2']],
  ["'12'", '12'],
  ['null', null],
  ['undefined', undefined],
  ['{}', {}],
  ['[null, 1]', [null, 1]],
  ["[[1], ['2']]", [[1], ['2']]],
  ['[true, false]', [true, false]],
  ['[1n, 2n]', [1n, 2n]],
  ['[{}, {}]', [{}, {}]],
];
const inputs: MalformedCase[] = notNumbers.flatMap(([text, value]) =>
  ([['ccc', ccc], ['pearson', pearson], ['mse', mse]] as const).map(([name, f]) => ({
    name: `${name}(${text}, …)`,
    run: call(f as Metric, value, [1, 2]),
    error: /^yTrue(\[0\])?: expected numbers or \(nested\) arrays of numbers, got /,
  })),
);

const shapes: MalformedCase[] = [
  { name: 'ragged nested array', run: call(ccc as Metric, [[1, 2], [3]], [1, 2, 3]), error: 'yTrue: ragged nested array' },
  { name: 'numbers mixed with arrays', run: call(ccc as Metric, [[1, 2], 3], [1, 2, 3]), error: 'yTrue: ragged nested array (mixed' },
  { name: 'lengths differ', run: call(mae as Metric, [1, 2, 3], [1, 2]), error: 'yTrue has 3 values but yPred has 2' },
  { name: 'empty inputs', run: call(sagr as Metric, [], []), error: 'yTrue: expected at least 1 value(s), got 0' },
  { name: 'NaN value', run: call(ccc as Metric, [1, NaN], [1, 2]), error: 'yTrue[1] is NaN: expected finite numbers' },
  { name: 'Infinity in yPred', run: call(ccc as Metric, [1, 2], [Infinity, 2]), error: 'yPred[0] is Infinity' },
  { name: 'typed arrays read', run: call(ccc as Metric, Float32Array.from([1, 2, 3]), [[1], [2], [3]]), ok: (v) => expect(v).toBeCloseTo(1, 12) },
  { name: 'sequence means with an empty sequence', run: call(cccPerSequenceMean as Metric, [[1], []], [[1], [2]]), error: 'sequencesTrue[1] is empty' },
  { name: 'sequence counts differ', run: call(cccPerSequenceMean as Metric, [[1]], [[1], [2]]), error: 'sequencesTrue has 1 sequences but sequencesPred has 2' },
];

const ddofs: MalformedCase[] = [
  ...[-1, NaN, 0.5, Infinity].map((ddof) => ({ name: `ddof ${ddof}`, run: call(ccc as Metric, [1, 2, 3], [1, 2, 4], { ddof }), error: `ccc/pearson: ddof must be an integer ≥ 0, got ${ddof}` })),
  { name: 'ddof equal to the count', run: call(ccc as Metric, [1, 2], [1, 3], { ddof: 2 }), error: '2 value(s) with ddof 2' },
  { name: 'ddof 1 reads', run: call(ccc as Metric, [1, 2, 3], [1, 2, 3], { ddof: 1 }), ok: (v) => expect(v).toBe(1) },
];

describeMalformed('metrics inputs that are not numbers', inputs);
describeMalformed('metrics shapes', shapes);
describeMalformed('metrics ddof', ddofs);
