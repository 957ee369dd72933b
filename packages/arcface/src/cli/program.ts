/** The `facelab-arcface` command line: `train`, `verify` (benchmarks or two photos) and `embed` (a folder of photos). */
import { statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BACKEND_ORDER, checkInferenceRuntime, fileSystemIO, initBackend, loadModelDir, tf } from '@facelab/core-tensor';
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
  type Command,
} from '@facelab/runtime';
import { createFaceDetector } from '@facelab/face-detect';
import { verifyBin, verifyLfw } from '../eval/verify.js';
import type { VerificationResult } from '../eval/verify-embeddings.js';
import { DEFAULT_VERIFY_THRESHOLD, embedFolder, verifyPhotos, writeEmbeddings, type PhotoEmbedding } from '../pipeline/photos.js';
import { MARGIN_PRESETS, type MarginOptions } from '../loss/margin.js';
import { iresnet, IRESNET_SMALL, IRESNET_UNITS, type IresnetOptions } from '../model/iresnet.js';
import { loadOnnxWeights } from '../onnx/load-weights.js';
import { folderFaceSource, recordFaceSource, type FaceSource } from '../train/sources.js';
import { trainArcFace } from '../train/train.js';

interface ArchFlags {
  depth: string;
  units?: number[];
  widths?: number[];
  inputSize?: number;
  embeddingSize?: number;
  inputStd?: number;
}

function addArchOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--depth <depth>', 'backbone depth, or small').choices([...Object.keys(IRESNET_UNITS), 'small']).default('50'))
    .option('--units <list>', 'units per stage, e.g. 1,2,1,1 (overrides --depth)', parseIntegerList(1))
    .option('--widths <list>', 'stem and stage channels, e.g. 64,64,128,256,512', parseIntegerList(1))
    .option('--input-size <n>', 'input size in pixels', parseInteger(1))
    .option('--embedding-size <n>', 'embedding dimension', parseInteger(1))
    .option('--input-std <x>', 'pixel normalisation (x - 127.5) / std (insightface w600k ONNX: 127.5)', parseNumber(0))
    .addOption(backendOption(BACKEND_ORDER))
    .addOption(jsonOption());
}

function archOf(f: ArchFlags): IresnetOptions {
  const base: IresnetOptions =
    f.depth === 'small' ? IRESNET_SMALL : { depth: Number(f.depth) as IresnetOptions['depth'] };
  const pick = <T>(v: T | undefined, d: T | undefined) => (v === undefined ? d : v);
  return {
    ...base,
    units: pick(f.units, base.units),
    widths: pick(f.widths, base.widths),
    inputSize: pick(f.inputSize, base.inputSize),
    embeddingSize: pick(f.embeddingSize, base.embeddingSize),
    inputStd: f.inputStd,
  };
}

function marginOf(f: { loss: string; s?: number; m1?: number; m2?: number; m3?: number }): MarginOptions {
  const preset = MARGIN_PRESETS[f.loss as keyof typeof MARGIN_PRESETS];
  if (preset === undefined) throw new UsageError(`--loss must be one of ${Object.keys(MARGIN_PRESETS).join(', ')}, got '${f.loss}'`);
  const m: MarginOptions = { ...preset };
  for (const k of ['s', 'm1', 'm2', 'm3'] as const) if (f[k] !== undefined) m[k] = f[k];
  return m;
}

function verificationLine(what: string, r: Omit<VerificationResult, 'scores'>): string {
  return (
    `${what}: ${r.pairs} pairs (${r.protocol} protocol), accuracy ${(100 * r.accuracy).toFixed(2)} ± ${(100 * r.std).toFixed(2)} %, ` +
    `TAR@FAR=1e-3 ${(100 * r.tarAtFar1e3).toFixed(2)} %`
  );
}

/** The embedding model named by --model or --onnx (exactly one). */
async function modelOf(f: ArchFlags & { model?: string; onnx?: string }, what: string): Promise<tf.LayersModel> {
  if ((f.model === undefined) === (f.onnx === undefined)) throw new UsageError(`${what}: give exactly one of --model and --onnx`);
  if (f.model !== undefined) return loadModelDir(f.model);
  const model = iresnet(archOf(f));
  loadOnnxWeights(model, new Uint8Array(await readFile(f.onnx!)), f.onnx!);
  return model;
}

function photoSummary(e: PhotoEmbedding) {
  return { file: e.source, faces: e.faces, box: e.face.box.map((v) => Math.round(v)), score: e.face.score };
}

/** Builds the CLI program (exported for tests). */
export function buildProgram(): Command {
  const program = createProgram({
    name: 'facelab-arcface',
    description: 'ArcFace face recognition on TensorFlow.js: train IR-ResNets with margin losses, verify, import ONNX',
    moduleUrl: import.meta.url,
  });
  const file = parsePath('file');

  addArchOptions(
    program
      .command('train')
      .description('train a backbone with a margin loss on a folder per identity or an insightface .rec/.idx')
      .requiredOption('--data <path>', 'folder with one subfolder per identity, or train.rec', parsePath())
      .option('--idx <path>', 'RecordIO index (default: the .rec path with .idx)', file)
      .option('--loss <name>', `margin preset: ${Object.keys(MARGIN_PRESETS).join(', ')}`, 'arcface')
      .option('--s <x>', 'scale s', parseNumber(0))
      .option('--m1 <x>', 'multiplicative angular margin', parseNumber())
      .option('--m2 <x>', 'additive angular margin', parseNumber())
      .option('--m3 <x>', 'additive cosine margin', parseNumber())
      .addOption(stepsOption(1000))
      .addOption(batchSizeOption(128, 'images per step'))
      .option('--lr <x>', 'peak learning rate', parseNumber(0), 0.1)
      .option('--warmup <n>', 'warm-up steps', parseInteger(0), 0)
      .addOption(
        new Option('--clip-scope <scope>', 'gradient clipping at global norm 5 over the backbone (arcface_torch) or all weights incl. class centres')
          .choices(['backbone', 'all'])
          .default('backbone'),
      )
      .addOption(seedOption(1))
      .option('--resize', 'resize images to the input size instead of failing')
      .option('--checkpoint-every <n>', 'steps between checkpoints', parseInteger(1), 500)
      .option('--resume', 'continue from the newest checkpoint in <out>/checkpoints')
      .addOption(outOption('output folder (model/, checkpoints/, train.jsonl, curves.png)', 'arcface-run')),
  ).action(async (f, cmd: Command) => {
    await initBackend(f.backend);
    const data: FaceSource = String(f.data).endsWith('.rec')
      ? recordFaceSource(f.data, f.idx ?? String(f.data).replace(/\.rec$/, '.idx'), { resize: f.resize })
      : await folderFaceSource(f.data, { resize: f.resize });
    await mkdir(f.out, { recursive: true });
    const backbone = iresnet({ ...archOf(f), seed: f.seed });
    try {
      const { result, net } = await trainArcFace({
        backbone,
        data,
        margin: marginOf(f),
        steps: f.steps,
        batchSize: f.batchSize,
        lr: f.lr,
        warmupSteps: f.warmup,
        clipScope: f.clipScope,
        seed: f.seed,
        checkpoint: { dir: join(f.out, 'checkpoints'), every: f.checkpointEvery },
        resume: f.resume ?? false,
        log: join(f.out, 'train.jsonl'),
        curves: join(f.out, 'curves.png'),
      });
      await backbone.save(fileSystemIO(join(f.out, 'model')));
      const last = result.records[result.records.length - 1];
      const summary = { steps: result.step, stopReason: result.stopReason, lastLoss: last?.loss, model: join(f.out, 'model') };
      printResult(cmd, summary, (r) => `trained ${r.steps} steps (${r.stopReason}), last loss ${r.lastLoss?.toFixed(4) ?? '-'}; model in ${r.model}`);
      net.dispose();
    } finally {
      data.close?.();
    }
  });

  addArchOptions(
    program
      .command('verify')
      .description(
        'two photos: same person? (detect, align, embed, cosine ≥ --threshold); or verification accuracy (10-fold ± std, TAR@FAR=1e-3) on an insightface .bin or LFW pairs.txt + folder',
      )
      .argument('[photos...]', 'two photos to compare (instead of --bin / --pairs)')
      .option('--model <dir>', 'a model saved by `train` (model.json + weights.bin)', parsePath('directory'))
      .option('--onnx <file>', 'an ONNX IR-ResNet (e.g. insightface w600k_r50.onnx; use --input-std 127.5)', file)
      .option('--threshold <cos>', `photos: decision threshold on cosine similarity (default ${DEFAULT_VERIFY_THRESHOLD})`, parseNumber(-1))
      .option('--bin <file>', 'insightface verification .bin (lfw.bin, cfp_fp.bin, ...)', file)
      .option('--pairs <file>', 'LFW pairs.txt', file)
      .option('--images <dir>', 'image folder of --pairs (default: its folder)', parsePath('directory'))
      .option('--folds <n>', 'folds', parseInteger(2), 10)
      .addOption(
        new Option('--protocol <name>', "insightface (fixed grid on squared distances, as papers report) or observed-scores (thresholds at observed cosines)")
          .choices(['insightface', 'observed-scores'])
          .default('insightface'),
      )
      .option('--no-flip', 'do not add the mirrored image embedding')
      .option('--resize', 'resize images to the input size instead of failing')
      .addOption(
        new Option('--runtime <name>', 'what runs the network on --bin / --pairs: tfjs, or onnx (exported and run whole in onnxruntime-node)')
          .choices(['tfjs', 'onnx'])
          .default('tfjs'),
      ),
  ).action(async (photos: string[], f, cmd: Command) => {
    if (photos.length > 0) {
      if (f.runtime !== 'tfjs') throw new UsageError('verify: --runtime is for --bin / --pairs; two photos run on tfjs');
      if (photos.length !== 2) throw new UsageError(`verify: give two photos to compare, got ${photos.length}`);
      if (f.bin !== undefined || f.pairs !== undefined) throw new UsageError('verify: give two photos or --bin / --pairs, not both');
      for (const p of photos) if (!statSync(p, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`verify: photo '${p}': no such file`);
      const [a, b] = photos as [string, string];
      if (f.threshold !== undefined && f.threshold > 1) throw new UsageError(`--threshold must be a cosine in [-1, 1], got ${f.threshold}`);
      await initBackend(f.backend);
      const model = await modelOf(f, 'verify');
      try {
        const detector = await createFaceDetector();
        const r = await verifyPhotos(model, detector, a, b, { flip: f.flip, threshold: f.threshold });
        const summary = { same: r.same, similarity: r.similarity, threshold: r.threshold, a: photoSummary(r.a), b: photoSummary(r.b) };
        printResult(cmd, summary, (s) => `${s.same ? 'same person' : 'different people'}: cosine similarity ${s.similarity.toFixed(4)} (threshold ${s.threshold})`);
      } finally {
        model.dispose();
      }
      return;
    }
    if ((f.bin === undefined) === (f.pairs === undefined)) throw new UsageError('verify: give two photos, or exactly one of --bin and --pairs');
    if (f.threshold !== undefined) throw new UsageError('verify: --threshold is for two photos; --bin / --pairs choose thresholds by cross-validation');
    await initBackend(f.backend);
    const model = await modelOf(f, 'verify');
    const options = { flip: f.flip, resize: f.resize, folds: f.folds, protocol: f.protocol, runtime: checkInferenceRuntime(f.runtime, 'verify --runtime') };
    try {
      const result = f.bin !== undefined ? await verifyBin(model, f.bin, options) : await verifyLfw(model, f.pairs, f.images, options);
      const { scores: _, ...summary } = result;
      printResult(cmd, { data: f.bin ?? f.pairs, ...summary }, (r) => verificationLine(r.data, r));
    } finally {
      model.dispose();
    }
  });

  addArchOptions(
    program
      .command('embed')
      .description('embed the largest face of every photo in a folder (detect, align, embed) into a JSON file')
      .argument('<folder>', 'folder of photos (.jpg, .png, ...)', parsePath('directory'))
      .option('--model <dir>', 'a model saved by `train` (model.json + weights.bin)', parsePath('directory'))
      .option('--onnx <file>', 'an ONNX IR-ResNet (e.g. insightface w600k_r50.onnx; use --input-std 127.5)', file)
      .option('--no-flip', 'do not add the mirrored image embedding')
      .option('--no-progress', 'no progress lines')
      .addOption(outOption('embeddings file (JSON: format, dim, items[{file, box, score, fivePoints, embedding}], skipped)', 'embeddings.json')),
  ).action(async (folder: string, f, cmd: Command) => {
    await initBackend(f.backend);
    const model = await modelOf(f, 'embed');
    try {
      const detector = await createFaceDetector();
      const progress = f.progress && !f.json;
      const result = await embedFolder(model, detector, folder, {
        flip: f.flip,
        onPhoto: progress ? (done, total) => process.stderr.write(`\rembedded ${done}/${total}${done === total ? '\n' : ''}`) : undefined,
      });
      await writeEmbeddings(f.out, result);
      const summary = { embedded: result.embeddings.length, skipped: result.skipped, dim: result.embeddings[0]?.embedding.length ?? 0, out: f.out };
      printResult(cmd, summary, (s) => `embedded ${s.embedded} photos (${s.dim} values each) into ${s.out}; skipped ${s.skipped.length}${s.skipped.map((k) => `\n  ${k.source}: ${k.reason}`).join('')}`);
    } finally {
      model.dispose();
    }
  });
  return program;
}
