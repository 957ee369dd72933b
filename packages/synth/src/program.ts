/**
 * The `facelab-synth` command line: writes synthetic datasets in real layouts (see datasets.ts), with a
 * progress bar on a terminal and plain progress lines otherwise.
 */
import { TrainingProgress } from '@facelab/core-tensor';
import {
  InvalidArgumentError,
  Option,
  createProgram,
  jsonOption,
  outOption,
  parseInteger,
  printResult,
  seedOption,
  type Command,
} from '@facelab/runtime';
import {
  write300WDataset,
  writeClipVideos,
  writeDeblurDataset,
  writeLfwDataset,
  type SynthDatasetOptions,
  type SynthVideoFormat,
} from './datasets.js';
import { SYNTH_STYLES, type SynthStyle } from './style.js';

const int = parseInteger(0);

function positive(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a positive number');
  return n;
}

interface CommonFlags {
  out: string;
  size: number;
  seed: number;
  style: SynthStyle;
}

/** Adds the options every dataset command shares. */
function common(cmd: Command, defaultSize = 96): Command {
  return cmd
    .addOption(outOption('output folder (created)'))
    .option('--size <pixels>', 'image size', parseInteger(1), defaultSize)
    .addOption(seedOption(0, 'dataset seed'))
    .addOption(new Option('--style <style>', 'rendering style').choices(SYNTH_STYLES).default('studio'))
    .addOption(jsonOption());
}

/**
 * Runs `write` with a progress display labelled `label`; prints `{ out, wrote }` (the paths written) as text
 * with `done`, or as JSON with --json.
 */
async function run<T>(label: string, cmd: Command, write: (o: SynthDatasetOptions) => Promise<T>, done: (r: T) => string) {
  const flags = cmd.opts<CommonFlags>();
  let progress: TrainingProgress | undefined;
  const result = await write({
    out: flags.out,
    size: flags.size,
    seed: flags.seed,
    style: flags.style,
    onProgress: (step, total) => {
      if (!progress) {
        progress = new TrainingProgress({ total, label, intervalMs: 2000 });
        progress.start();
      }
      progress.update(step);
    },
  });
  progress?.stop();
  printResult(cmd, { out: flags.out, wrote: result }, (r) => done(r.wrote));
}

const videoFormat = (def: SynthVideoFormat) =>
  new Option('--format <format>', 'video container').choices(['mp4', 'gif']).default(def);

/** Builds the `facelab-synth` program (exported for tests; src/cli.ts runs it with runProgram). */
export function synthProgram(): Command {
  const program = createProgram({
    name: 'facelab-synth',
    description: 'Write synthetic face datasets with ground truth in the layouts of real datasets',
    moduleUrl: import.meta.url,
  });

  common(program.command('lfw').description('LFW layout: lfw/<name>/<name>_0001.jpg + pairs.txt'), 112)
    .option('--identities <n>', 'number of identities', int, 10)
    .option('--images-per-identity <n>', 'images per identity', int, 4)
    .option('--folds <n>', 'folds of pairs', int, 1)
    .option('--pairs-per-fold <n>', 'same (and as many different) pairs per fold', int, 10)
    .action((f: CommonFlags & { identities: number; imagesPerIdentity: number; folds: number; pairsPerFold: number }, cmd: Command) =>
      run(
        'lfw',
        cmd,
        (o) =>
          writeLfwDataset({ ...o, identities: f.identities, imagesPerIdentity: f.imagesPerIdentity, folds: f.folds, pairsPerFold: f.pairsPerFold }),
        (pairs) => `wrote ${pairs}`,
      ),
    );

  common(program.command('300w').description('300-W layout: synth_0001.png + synth_0001.pts (68 iBUG landmarks)'))
    .option('--count <n>', 'number of images', int, 20)
    .action((f: CommonFlags & { count: number }, cmd: Command) =>
      run('300w', cmd, (o) => write300WDataset({ ...o, count: f.count }), (paths) => `wrote ${paths.length} images under ${f.out}`),
    );

  common(program.command('clips').description('clips as videos: clip_0001.mp4 + clip_0001.csv (frame,valence,arousal,emotion)'))
    .option('--count <n>', 'number of clips', int, 2)
    .option('--frames <n>', 'frames per clip', int, 48)
    .option('--fps <n>', 'frame rate', positive, 25)
    .addOption(videoFormat('mp4'))
    .action((f: CommonFlags & { count: number; frames: number; fps: number; format: SynthVideoFormat }, cmd: Command) =>
      run(
        'clips',
        cmd,
        (o) => writeClipVideos({ ...o, count: f.count, frames: f.frames, fps: f.fps, format: f.format }),
        (paths) => `wrote ${paths.join(', ')}`,
      ),
    );
  common(program.command('deblur').description('deblurring pairs: blurred/0001.png (mean of sub-frames) + sharp/0001.png'))
    .option('--count <n>', 'number of pairs', int, 20)
    .option('--sub-frames <n>', 'sub-frames averaged per blurred image (odd)', int, 7)
    .option('--extent <pixels>', 'length of the motion path in pixels (default: 8 % of the size)', positive)
    .action((f: CommonFlags & { count: number; subFrames: number; extent?: number }, cmd: Command) =>
      run(
        'deblur',
        cmd,
        (o) => writeDeblurDataset({ ...o, count: f.count, subFrames: f.subFrames, extent: f.extent }),
        (paths) => `wrote ${paths.length} pairs under ${f.out}`,
      ),
    );
  return program;
}
