/**
 * end2you's part of the malformed-input corpus: label files, signal CSVs, input lists, HDF5 files (bytes cut,
 * flipped and replaced; datasets of the wrong rank, type or step count), predictions files, losses and scores.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import h5wasm from 'h5wasm/node';
import { tf } from '@facelab/core-tensor';
import { describeMalformed, runCli, type MalformedCase } from '@facelab/test-utils';
import { buildProgram } from '../src/cli/program.js';
import { readEnd2YouHdf5, writeEnd2YouHdf5, type End2YouRecord } from '../src/data/hdf5.js';
import { parseInputList, parseLabelFile, readInputList, readLabelFile, samplesPerStep } from '../src/data/labels.js';
import { parseSignalCsv, readSignalCsv } from '../src/data/signals.js';
import { readPredictions } from '../src/eval/predict.js';
import { checkMetricName, scoreSequences } from '../src/eval/scores.js';
import { checkLossName, lengthMask, sequenceLoss, validRows } from '../src/loss/masked.js';

const dir = mkdtempSync(join(tmpdir(), 'e2y-malformed-'));
const file = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const numTensors = () => tf.memory().numTensors;

const GOOD_LABELS = 'time,arousal,valence\n0,0.1,0.2\n0.04,0.3,0.4\n0.08,0.5,0.6\n';

describeMalformed('end2you label files', [
  { name: 'empty text', run: () => parseLabelFile('', 'l.csv'), error: 'l.csv: empty label file' },
  { name: 'only blank lines', run: () => parseLabelFile('\n\n \n', 'l.csv'), error: 'l.csv: empty label file' },
  { name: "first column not 'time'", run: () => parseLabelFile('t,a\n0,1\n1,2\n', 'l.csv'), error: "l.csv:1: the first column must be 'time'" },
  { name: "header 'time' alone", run: () => parseLabelFile('time\n0\n1\n', 'l.csv'), error: 'l.csv:1: no label columns' },
  { name: 'header only', run: () => parseLabelFile('time,a\n', 'l.csv'), error: 'at least 2 rows' },
  { name: 'one row', run: () => parseLabelFile('time,a\n0,1\n', 'l.csv'), error: 'at least 2 rows' },
  { name: 'row with a missing column', run: () => parseLabelFile('time,a,b\n0,1,2\n0.04,1\n', 'l.csv'), error: 'l.csv:3: 2 columns, the header has 3' },
  { name: 'row with an extra column', run: () => parseLabelFile('time,a\n0,1\n0.04,1,2\n', 'l.csv'), error: 'l.csv:3: 3 columns, the header has 2' },
  ...['oops', 'NaN', 'Infinity', '-Infinity', '1e999', '', '1,5'.replace(',', ';')].map(
    (cell): MalformedCase => ({ name: `label cell '${cell}'`, run: () => parseLabelFile(`time,a\n0,1\n0.04,${cell}\n0.08,1\n`, 'l.csv'), error: "l.csv:3: column 'a' is not a number" }),
  ),
  ...['0x10', '0b1', '0o7', '1_000', '+-1'].map(
    (cell): MalformedCase => ({ name: `label cell '${cell}' (not a plain decimal)`, run: () => parseLabelFile(`time,a\n0,1\n0.04,${cell}\n0.08,1\n`, 'l.csv'), error: `l.csv:3: column 'a' is not a number: '${cell}'` }),
  ),
  { name: 'a label column named twice', run: () => parseLabelFile('time,a,a\n0,1,2\n0.04,1,2\n', 'l.csv'), error: "l.csv:1: column 'a' appears twice in the header" },
  { name: 'time cell not a number', run: () => parseLabelFile('time,a\n0,1\nsoon,2\n0.08,3\n', 'l.csv'), error: "l.csv:3: column 'time' is not a number: 'soon'" },
  { name: 'time going back', run: () => parseLabelFile('time,a\n0,1\n0.04,2\n0.02,3\n', 'l.csv'), error: 'l.csv:4: time 0.02 does not increase' },
  { name: 'time repeated', run: () => parseLabelFile('time,a\n0,1\n0,2\n', 'l.csv'), error: 'l.csv:3: time 0 does not increase' },
  { name: 'uneven time steps', run: () => parseLabelFile('time,a\n0,1\n0.04,2\n0.1,3\n', 'l.csv'), error: 'l.csv:4: step 0.0600000 s differs' },
  {
    name: 'CRLF line ends and a trailing blank line',
    run: () => parseLabelFile(GOOD_LABELS.replace(/\n/g, '\r\n') + '\r\n', 'l.csv'),
    ok: (r) => expect((r as { names: string[] }).names).toEqual(['arousal', 'valence']),
  },
  { name: 'missing file', run: () => readLabelFile(join(dir, 'nope.csv')), error: `cannot read ${join(dir, 'nope.csv')}` },
  { name: 'a directory', run: () => readLabelFile(dir), error: `cannot read ${dir}` },
]);

describeMalformed('end2you signal CSVs', [
  { name: 'empty text', run: () => parseSignalCsv('', 's.csv'), error: "s.csv:1: a signal CSV needs a header 'time,<channel>,…'" },
  { name: "first column not 'time'", run: () => parseSignalCsv('t,ecg\n0,1\n1,2\n', 's.csv'), error: 's.csv:1: a signal CSV needs a header' },
  { name: 'no channel', run: () => parseSignalCsv('time\n0\n1\n', 's.csv'), error: 's.csv:1: a signal CSV needs a header' },
  { name: 'one sample', run: () => parseSignalCsv('time,ecg\n0,1\n', 's.csv'), error: 's.csv: needs at least 2 samples' },
  { name: 'short row', run: () => parseSignalCsv('time,ecg,eda\n0,1,2\n0.1,1\n', 's.csv'), error: 's.csv:3: 2 columns, the header has 3' },
  ...['x', 'NaN', 'Infinity', '', ' ', '0x1F', '1e999'].map(
    (cell): MalformedCase => ({ name: `sample '${cell}'`, run: () => parseSignalCsv(`time,ecg\n0,1\n0.1,${cell}\n`, 's.csv'), error: "s.csv:3: column 'ecg' is not a number" }),
  ),
  { name: 'time going back', run: () => parseSignalCsv('time,ecg\n0,1\n0.1,2\n0.05,3\n', 's.csv'), error: 's.csv:4: time 0.05 does not increase' },
  { name: 'time repeated', run: () => parseSignalCsv('time,ecg\n0,1\n0,2\n', 's.csv'), error: 's.csv:3: time 0 does not increase' },
  { name: 'missing file', run: () => readSignalCsv(join(dir, 'nope-signal.csv')), error: 'readSignalCsv: cannot read' },
]);

describeMalformed('end2you input lists', [
  { name: 'header only', run: () => parseInputList('raw,label\n', '/d', 'list.csv'), error: 'list.csv: no rows after the header' },
  { name: 'empty text', run: () => parseInputList('', '/d', 'list.csv'), error: 'list.csv: no rows after the header' },
  { name: 'a row with one cell', run: () => parseInputList('raw,label\nonly-one\n', '/d', 'list.csv'), error: "list.csv:2: expected 'raw file[,raw file…],label file'" },
  { name: 'a row with an empty cell', run: () => parseInputList('raw,label\na.wav,\n', '/d', 'list.csv'), error: 'list.csv:2: expected' },
  { name: 'a row with an empty raw file', run: () => parseInputList('raw,label\n,a.csv\n', '/d', 'list.csv'), error: 'list.csv:2: expected' },
  { name: 'a bad row after good ones', run: () => parseInputList('raw,label\na.wav,a.csv\nb.wav,b.csv\n,\n', '/d', 'list.csv'), error: 'list.csv:4: expected' },
  { name: 'a path climbing out of the list folder', run: () => parseInputList('raw,label\n../../etc/passwd,a.csv\n', '/d', 'list.csv'), error: "list.csv:2: '../../etc/passwd' resolves outside /d" },
  { name: 'a label path climbing out', run: () => parseInputList('raw,label\na.wav,x/../../b.csv\n', '/d', 'list.csv'), error: "list.csv:2: 'x/../../b.csv' resolves outside /d" },
  { name: 'an absolute path', run: () => parseInputList('raw,label\n/etc/passwd,a.csv\n', '/d', 'list.csv'), error: "list.csv:2: '/etc/passwd' is absolute" },
  {
    name: 'an absolute path, allowed',
    run: () => parseInputList('raw,label\n/data/a.wav,a.csv\n', '/d', 'list.csv', { allowAbsolute: true }),
    ok: (rows) => expect(rows).toEqual([{ raw: ['/data/a.wav'], labels: '/d/a.csv', line: 2 }]),
  },
  { name: 'missing file', run: () => readInputList(join(dir, 'nope-list.csv')), error: 'readInputList: cannot read' },
]);

describeMalformed('end2you step sizes', [
  { name: 'rate 0', run: () => samplesPerStep(0, 0.04), error: 'less than one sample per step' },
  { name: 'rate NaN', run: () => samplesPerStep(NaN, 0.04), error: 'less than one sample per step' },
  { name: 'negative step', run: () => samplesPerStep(16000, -0.04), error: 'less than one sample per step' },
  { name: 'step below one sample', run: () => samplesPerStep(25, 0.01), error: '25 /s × 0.01 s is less than one sample per step' },
]);

/** A valid two-step audio record. */
const record = (): End2YouRecord => ({
  audio: { data: Float32Array.from({ length: 16 }, (_, i) => i / 16), shape: [2, 8] },
  labels: { data: new Float32Array([0.1, 0.2, 0.3, 0.4]), shape: [2, 2] },
  labelNames: ['arousal', 'valence'],
  dataFile: 'a.wav',
  labelFile: 'a.csv',
});

/** Writes an HDF5 file with h5wasm directly, for layouts our writer refuses to make. */
async function rawHdf5(name: string, fill: (f: InstanceType<typeof h5wasm.File>) => void): Promise<string> {
  await h5wasm.ready;
  const path = join(dir, name);
  const f = new h5wasm.File(path, 'w');
  try {
    fill(f);
  } finally {
    f.close();
  }
  return path;
}

let good: Uint8Array;
beforeAll(async () => {
  const path = join(dir, 'good.hdf5');
  await writeEnd2YouHdf5(path, record());
  good = readFileSync(path);
});

const cut = (n: number): MalformedCase => ({
  name: `file cut to ${n} bytes`,
  run: () => readEnd2YouHdf5(file(`cut-${n}.hdf5`, good.subarray(0, n))),
  error: `cut-${n}.hdf5`,
});

describeMalformed('end2you HDF5 files', [
  { name: 'missing file', run: () => readEnd2YouHdf5(join(dir, 'nope.hdf5')), error: `readEnd2YouHdf5: ${join(dir, 'nope.hdf5')}` },
  { name: 'empty file', run: () => readEnd2YouHdf5(file('empty.hdf5', new Uint8Array(0))), error: 'empty.hdf5: not a readable HDF5 file' },
  { name: 'a text file', run: () => readEnd2YouHdf5(file('text.hdf5', 'time,a\n0,1\n')), error: 'text.hdf5: not a readable HDF5 file' },
  { name: 'a PNG signature', run: () => readEnd2YouHdf5(file('png.hdf5', new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0]))), error: 'png.hdf5: not a readable HDF5 file' },
  ...[8, 64, 256, 512, 1024].map(cut),
  {
    name: 'superblock signature zeroed',
    run: () => {
      const bad = Uint8Array.from(good);
      bad.fill(0, 0, 8);
      return readEnd2YouHdf5(file('nosig.hdf5', bad));
    },
    error: 'nosig.hdf5: not a readable HDF5 file',
  },
  {
    name: 'no labels dataset',
    run: async () => readEnd2YouHdf5(await rawHdf5('nolabels.hdf5', (f) => f.create_dataset({ name: 'audio', data: new Float32Array(16), shape: [2, 8] }))),
    error: "nolabels.hdf5: no 'labels' dataset (has audio)",
  },
  {
    name: 'labels as a group',
    run: async () => readEnd2YouHdf5(await rawHdf5('labelgroup.hdf5', (f) => void f.create_group('labels'))),
    error: "'labels' is not a dataset",
  },
  {
    name: 'labels of rank 1',
    run: async () => readEnd2YouHdf5(await rawHdf5('rank1.hdf5', (f) => f.create_dataset({ name: 'labels', data: new Float32Array(4), shape: [4] }))),
    error: "dataset 'labels' has shape [4], expected rank 2",
  },
  {
    name: 'audio of rank 3',
    run: async () =>
      readEnd2YouHdf5(
        await rawHdf5('audio3.hdf5', (f) => {
          f.create_dataset({ name: 'labels', data: new Float32Array(2), shape: [2, 1] });
          f.create_dataset({ name: 'audio', data: new Float32Array(16), shape: [2, 4, 2] });
        }),
      ),
    error: "dataset 'audio' has shape [2,4,2], expected rank 2",
  },
  {
    name: 'labels of strings',
    run: async () => readEnd2YouHdf5(await rawHdf5('strlabels.hdf5', (f) => f.create_dataset({ name: 'labels', data: ['a', 'b'], shape: [2, 1] }))),
    error: "dataset 'labels' is not numeric",
  },
  {
    name: 'no label_names attribute',
    run: async () =>
      readEnd2YouHdf5(
        await rawHdf5('nonames.hdf5', (f) => {
          f.create_dataset({ name: 'labels', data: new Float32Array(2), shape: [2, 1] });
          f.create_dataset({ name: 'audio', data: new Float32Array(16), shape: [2, 8] });
        }),
      ),
    error: "no 'label_names' attribute",
  },
  {
    name: 'audio steps differ from label steps',
    run: async () =>
      readEnd2YouHdf5(
        await rawHdf5('steps.hdf5', (f) => {
          f.create_dataset({ name: 'labels', data: new Float32Array(2), shape: [2, 1] });
          f.create_dataset({ name: 'audio', data: new Float32Array(24), shape: [3, 8] });
          f.create_attribute('label_names', ['arousal']);
        }),
      ),
    error: "dataset 'audio' has 3 steps, labels have 2",
  },
  {
    name: 'two label names for one label column',
    run: async () =>
      readEnd2YouHdf5(
        await rawHdf5('names.hdf5', (f) => {
          f.create_dataset({ name: 'labels', data: new Float32Array(2), shape: [2, 1] });
          f.create_dataset({ name: 'audio', data: new Float32Array(16), shape: [2, 8] });
          f.create_attribute('label_names', ['arousal', 'valence']);
        }),
      ),
    error: '2 label names for 1 label columns',
  },
  {
    name: 'labels but no modality',
    run: async () =>
      readEnd2YouHdf5(
        await rawHdf5('nomod.hdf5', (f) => {
          f.create_dataset({ name: 'labels', data: new Float32Array(2), shape: [2, 1] });
          f.create_attribute('label_names', ['arousal']);
        }),
      ),
    error: 'no audio, visual or physio dataset',
  },
  {
    name: 'a valid file round-trips',
    run: () => readEnd2YouHdf5(file('good-copy.hdf5', good)),
    ok: (r) => expect((r as End2YouRecord).audio!.shape).toEqual([2, 8]),
  },
  {
    name: 'writer: data length differs from the shape',
    run: () => writeEnd2YouHdf5(join(dir, 'w1.hdf5'), { ...record(), audio: { data: new Float32Array(15), shape: [2, 8] } }),
    error: "dataset 'audio' holds 15 values, its shape [2,8] needs 16",
  },
  {
    name: 'writer: labels without a name',
    run: () => writeEnd2YouHdf5(join(dir, 'w2.hdf5'), { ...record(), labelNames: ['arousal'] }),
    error: '1 label names for 2 label columns',
  },
]);

describeMalformed('end2you predictions files', [
  { name: 'missing file', run: () => readPredictions(join(dir, 'nope.json')), error: 'readPredictions:' },
  { name: 'not JSON', run: () => readPredictions(file('p1.json', '{ files: ')), error: 'p1.json' },
  { name: 'JSON null', run: () => readPredictions(file('p2.json', 'null')), error: 'p2.json: expected { labelNames, files: [...] }' },
  { name: 'no files array', run: () => readPredictions(file('p3.json', '{"labelNames":["a"]}')), error: 'p3.json: expected { labelNames, files: [...] }' },
  { name: 'no label names', run: () => readPredictions(file('p4.json', '{"files":[]}')), error: 'p4.json: expected { labelNames, files: [...] }' },
]);

describeMalformed(
  'end2you losses and scores',
  [
    { name: "loss name 'l1'", run: () => checkLossName('l1'), error: "loss must be one of ccc, mse, ce, got 'l1'" },
    { name: "metric name 'rmse'", run: () => checkMetricName('rmse'), error: "metric must be one of ccc, mse, uar, got 'rmse'" },
    { name: 'mask selecting no step', run: () => tf.tidy(() => validRows(tf.zeros([2, 3, 1]), tf.zeros([2, 3]))), error: 'validRows: the mask selects no step' },
    { name: 'mask of the wrong shape', run: () => tf.tidy(() => validRows(tf.zeros([2, 3, 1]), tf.ones([2, 4]))), error: 'validRows: mask has shape [2,4], expected [2,3]' },
    { name: 'rank-2 predictions', run: () => tf.tidy(() => validRows(tf.zeros([2, 3]), tf.ones([2, 3]))), error: 'validRows: expected [batch, steps, outputs]' },
    ...[-1, 4, 1.5, NaN].map(
      (len): MalformedCase => ({ name: `sequence length ${len}`, run: () => tf.tidy(() => lengthMask([2, len], 3)), error: `lengthMask: length ${len} of sequence 1` }),
    ),
    {
      name: 'labels and predictions of different shapes',
      run: () => tf.tidy(() => sequenceLoss('ccc', tf.zeros([1, 3, 2]), tf.zeros([1, 3, 1]), tf.ones([1, 3]))),
      error: 'sequenceLoss: labels [1,3,2] and predictions [1,3,1] differ in shape',
    },
    {
      name: 'upstream CCC on one valid step',
      run: () => tf.tidy(() => sequenceLoss('ccc', tf.zeros([1, 3, 1]), tf.zeros([1, 3, 1]), tf.tensor2d([[1, 0, 0]]), { upstreamCompat: true })),
      error: 'upstreamCompat CCC needs at least 2 valid steps',
    },
    { name: 'no steps to score', run: () => scoreSequences([], 'ccc', ['a']), error: 'scoreSequences: no steps to score' },
    {
      name: 'fewer predictions than labels',
      run: () => scoreSequences([{ predictions: [[1]], labels: [[1], [2]] }], 'mse', ['a']),
      error: 'sequence 0: 1 predictions for 2 labels',
    },
  ],
  { numTensors },
);

describeMalformed('end2you generate command line', [
  ...[
    ['a raw path climbing out of the list folder', '../outside.wav,a.csv', "'../outside.wav' resolves outside"],
    ['an absolute raw path', '/etc/passwd,a.csv', "'/etc/passwd' is absolute"],
  ].map(
    ([name, row, message]): MalformedCase => ({
      name: name!,
      run: async () => {
        const list = file(`list-${name!.length}.csv`, `raw,label\n${row}\n`);
        const { code, stderr } = await runCli(buildProgram(), ['generate', '--input-list', list, '--out', join(dir, 'h5-out')]);
        if (code !== 2) throw new Error(`exit code ${code}, expected 2 (usage error): ${stderr.trim()}`);
        throw new Error(stderr.trim());
      },
      error: message!,
    }),
  ),
  {
    name: 'hexadecimal --box',
    run: async () => {
      const list = file('list-box.csv', 'raw,label\na.wav,a.csv\n');
      const { code, stderr } = await runCli(buildProgram(), ['generate', '--input-list', list, '--out', join(dir, 'h5-box'), '--box', '0x10,0,8,8']);
      throw new Error(`exit ${code}: ${stderr.trim()}`);
    },
    error: /exit 2: .*--box/,
  },
]);
