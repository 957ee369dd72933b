/** The `facelab-deblur` command line: `synth` blur pairs, `train`, `evaluate`, `predict`. */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createFaceDetector, trackFaceBoxes } from '@facelab/face-detect';
import { BACKEND_ORDER, fileSystemIO, initBackend, tf } from '@facelab/core-tensor';
import { decodeImage, encodeImage, type PixelBox } from '@facelab/data';
import {
  Option,
  UsageError,
  backendOption,
  batchSizeOption,
  createProgram,
  jsonOption,
  outOption,
  parseInteger,
  parseIntegerList,
  parseNumber,
  parsePath,
  printResult,
  seedOption,
  stepsOption,
  writeFileAtomic,
  type Command,
} from '@facelab/runtime';
import { blurPairs, parseBlurRange, type Frame } from '../data/blur.js';
import { listImages, readBlurPairs, readImageFloat, writeBlurPairs } from '../data/pair-folders.js';
import { loadDeblurNet, saveDeblurNet } from '../data/model-dir.js';
import { readClipFrames } from '../data/video.js';
import { deblurImages, evaluateDeblur, type DeblurScores } from '../eval/evaluate.js';
import { createDeblurNet, type DeblurVariant } from '../model/deblur-net.js';
import { fitDeblur } from '../train/fit.js';

function parseBox(value: string, where = '--box'): PixelBox {
  const v = value.split(',').map((x) => Number(x.trim()));
  if (v.length !== 4 || !v.every(Number.isFinite) || v[2]! <= 0 || v[3]! <= 0) {
    throw new UsageError(`${where} must be x,y,width,height with a positive size, got '${value}'`);
  }
  return { x: v[0]!, y: v[1]!, width: v[2]!, height: v[3]! };
}

/** One face box per frame from a text file: a line `x,y,width,height` per frame (blank lines and a header skipped). */
async function readBoxes(path: string): Promise<PixelBox[]> {
  const lines = (await readFile(path, 'utf8')).split(/\r?\n/);
  const boxes: PixelBox[] = [];
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t === '' || (i === 0 && /[a-z]/i.test(t))) return;
    boxes.push(parseBox(t, `${path}:${i + 1}`));
  });
  if (boxes.length === 0) throw new UsageError(`${path} has no boxes`);
  return boxes;
}

/** The frames of a folder of images, in name order; sizes are checked by the blur step. */
async function* folderFrames(dir: string): AsyncGenerator<Frame> {
  const names = await listImages(dir);
  if (names.length === 0) throw new UsageError(`${dir} has no images`);
  for (const name of names) yield await decodeImage(join(dir, name), 3);
}

async function loadIdentity(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileSystemIO(dir));
}

function scoreLine(name: string, s: DeblurScores): string {
  const id = s.identityCosine === undefined ? '' : `, identity cosine ${s.identityCosine.toFixed(4)}`;
  const ver = s.verification === undefined ? '' : `, verification ${(100 * s.verification).toFixed(1)} %`;
  return `${name.padEnd(10)} PSNR ${s.psnr.toFixed(2)} dB, SSIM ${s.ssim.toFixed(4)}${id}${ver}`;
}

/** Builds the CLI program (exported for tests). */
export function buildProgram(): Command {
  const program = createProgram({
    name: 'facelab-deblur',
    description: 'Motion deblurring of faces (arXiv 1803.03330): blur pairs by frame averaging, a two-stream deblurring network, evaluation',
    moduleUrl: import.meta.url,
  });

  program
    .command('synth')
    .description('write (blurred, sharp) pairs from a video or a folder of frames: the mean of n consecutive frames and the middle one')
    .argument('<input>', 'video file, or folder of frames (images in name order)', parsePath())
    .addOption(outOption('folder to write blurred/, sharp/ and pairs.csv into'))
    .option('--n <range>', 'frames averaged: an odd number or an odd range like 7-13', '7-13')
    .option('--stride <k>', 'frames between pair centres', parseInteger(1), 1)
    .option('--box <x,y,w,h>', 'face box of every frame (default: the whole frame)')
    .option('--boxes <file>', 'one face box per frame: a line x,y,w,h per frame (overrides --box)', parsePath('file'))
    .option('--detect', 'detect and track the face in every frame: square boxes with --margin (needs @vladmandic/human)')
    .option('--margin <x>', 'with --detect: extra side around the face box', parseNumber(0), 0.25)
    .option('--size <n>', 'resize the crops to n × n', parseInteger(1))
    .option('--limit <n>', 'write at most n pairs', parseInteger(1))
    .addOption(seedOption(0, 'seed of the draws of n'))
    .addOption(backendOption(BACKEND_ORDER))
    .addOption(jsonOption())
    .action(async (input: string, f, cmd: Command) => {
      let range;
      try {
        range = parseBlurRange(f.n, '--n');
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const box = f.box === undefined ? undefined : parseBox(f.box);
      let boxes = f.boxes === undefined ? undefined : await readBoxes(f.boxes);
      const isDir = (await stat(input)).isDirectory();
      if (isDir && (box !== undefined || boxes !== undefined || f.size !== undefined || f.detect)) {
        throw new UsageError('--box, --boxes, --detect and --size apply to videos; crop and resize frame folders beforehand');
      }
      if (f.detect && (box !== undefined || boxes !== undefined)) throw new UsageError('--detect finds the boxes: give it without --box / --boxes');
      await initBackend(f.backend);
      if (f.detect) boxes = (await trackFaceBoxes(await createFaceDetector(), input, { margin: f.margin })).boxes;
      const frames = isDir ? folderFrames(input) : readClipFrames(input, { box, boxes, size: f.size });
      const count = await writeBlurPairs(blurPairs(frames, { range, stride: f.stride, seed: f.seed, source: input }), f.out, { limit: f.limit });
      printResult(cmd, { input, out: f.out, pairs: count, n: range }, (r) => `wrote ${r.pairs} pairs (n ${r.n.min}–${r.n.max}) from ${r.input} to ${r.out}`);
    });

  program
    .command('train')
    .description('train a deblurring network on a pair folder; with --identity, the two-stream network')
    .requiredOption('--data <dir>', 'pair folder (blurred/, sharp/) as written by synth', parsePath('directory'))
    .option('--identity <dir>', 'frozen identity stream: an embedding model directory (e.g. model/ of facelab-arcface train)', parsePath('directory'))
    .option('--identity-weight <x>', 'weight of the identity term', parseNumber(0), 0.1)
    .option('--ssim-weight <x>', 'weight of 1 − SSIM', parseNumber(0), 0)
    .addOption(new Option('--variant <name>', 'one encoder–decoder, or the two-step (low then high frequency) variant').choices(['single', 'two-step']).default('single'))
    .option('--filters <list>', 'channels per encoder level', parseIntegerList(1), [32, 64, 128])
    .addOption(stepsOption(2000))
    .addOption(batchSizeOption(16, 'pairs per step'))
    .option('--lr <x>', 'Adam learning rate', parseNumber(0), 1e-3)
    .addOption(seedOption(1))
    .option('--checkpoint-every <n>', 'steps between checkpoints', parseInteger(1), 200)
    .option('--resume', 'continue from the newest checkpoint in <out>/checkpoints')
    .option('--no-progress', 'no progress bar')
    .addOption(outOption('run folder (model/, checkpoints/, train.jsonl, curves.png)', 'deblur-run'))
    .addOption(backendOption(BACKEND_ORDER))
    .addOption(jsonOption())
    .action(async (f, cmd: Command) => {
      await initBackend(f.backend);
      const data = await readBlurPairs(f.data);
      const net = createDeblurNet({ imageSize: data.size, filters: f.filters, variant: f.variant as DeblurVariant, seed: f.seed });
      const identity = f.identity ? await loadIdentity(f.identity) : undefined;
      try {
        await mkdir(f.out, { recursive: true });
        const result = await fitDeblur({
          net,
          data,
          identity,
          loss: { identity: identity ? f.identityWeight : 0, ssim: f.ssimWeight },
          steps: f.steps,
          batchSize: f.batchSize,
          lr: f.lr,
          seed: f.seed,
          checkpoint: { dir: join(f.out, 'checkpoints'), every: f.checkpointEvery },
          resume: f.resume ?? false,
          log: join(f.out, 'train.jsonl'),
          curves: join(f.out, 'curves.png'),
          progress: f.progress && !f.json,
        });
        await saveDeblurNet(net, join(f.out, 'model'));
        const last = result.records[result.records.length - 1];
        const summary = { steps: result.step, stopReason: result.stopReason, lastLoss: last?.loss, twoStream: identity !== undefined, model: join(f.out, 'model') };
        printResult(cmd, summary, (r) => `trained ${r.twoStream ? 'two-stream' : 'deblur-only'} ${r.steps} steps (${r.stopReason}), last loss ${r.lastLoss?.toFixed(4) ?? '-'}; model in ${r.model}`);
      } finally {
        net.model.dispose();
        identity?.dispose();
      }
    });

  program
    .command('evaluate')
    .description('PSNR, SSIM and (with --identity) identity cosine of the blurred input and the deblurred output against the sharp frames')
    .requiredOption('--model <dir>', 'model directory (model/ of a train run)', parsePath('directory'))
    .requiredOption('--data <dir>', 'pair folder (blurred/, sharp/)', parsePath('directory'))
    .option('--identity <dir>', 'identity evaluator: an embedding model directory', parsePath('directory'))
    .addOption(backendOption(BACKEND_ORDER))
    .addOption(jsonOption())
    .action(async (f, cmd: Command) => {
      await initBackend(f.backend);
      const net = await loadDeblurNet(f.model);
      const evaluator = f.identity ? await loadIdentity(f.identity) : undefined;
      try {
        const data = await readBlurPairs(f.data);
        const scores = evaluateDeblur({ data, nets: { deblurred: net }, evaluator });
        printResult(cmd, { pairs: data.blurred.length, scores }, (r) =>
          [`${r.pairs} pairs`, ...Object.entries(r.scores).map(([k, v]) => scoreLine(k, v))].join('\n'),
        );
      } finally {
        net.model.dispose();
        evaluator?.dispose();
      }
    });

  program
    .command('predict')
    .description('deblur an image or every image of a folder (at the model size) into a folder')
    .requiredOption('--model <dir>', 'model directory (model/ of a train run)', parsePath('directory'))
    .argument('<input>', 'image or folder of images', parsePath())
    .addOption(outOption('folder for the deblurred PNGs'))
    .addOption(backendOption(BACKEND_ORDER))
    .addOption(jsonOption())
    .action(async (input: string, f, cmd: Command) => {
      await initBackend(f.backend);
      const net = await loadDeblurNet(f.model);
      try {
        const isDir = (await stat(input)).isDirectory();
        const files = isDir ? (await listImages(input)).map((n) => join(input, n)) : [input];
        if (files.length === 0) throw new UsageError(`${input} has no images`);
        const s = net.architecture.imageSize;
        await mkdir(f.out, { recursive: true });
        const written: string[] = [];
        for (const file of files) {
          const img = await readImageFloat(file);
          if (img.width !== s || img.height !== s) throw new UsageError(`${file} is ${img.width}×${img.height}, the model takes ${s}×${s} faces`);
          const [out] = deblurImages(net, [img.data]);
          const bytes = Uint8Array.from(out!, (v) => Math.max(0, Math.min(255, Math.round(v * 255))));
          const path = join(f.out, basename(file).replace(/\.[^.]+$/, '.png'));
          await writeFileAtomic(path, await encodeImage({ data: bytes, width: s, height: s, channels: 3 }, 'png'));
          written.push(path);
        }
        printResult(cmd, { written }, (r) => `wrote ${r.written.length} deblurred image${r.written.length === 1 ? '' : 's'} to ${f.out}`);
      } finally {
        net.model.dispose();
      }
    });
  return program;
}
