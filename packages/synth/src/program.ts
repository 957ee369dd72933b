/**
 * The `facelab-synth` command line: writes synthetic datasets in real layouts (see datasets.ts), with a
 * progress bar on a terminal and plain progress lines otherwise.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { TrainingProgress } from '@facelab/core-tensor';
import {
  write300WDataset,
  writeClipVideos,
  writeDeblurDataset,
  writeLfwDataset,
  type SynthDatasetOptions,
  type SynthVideoFormat,
} from './datasets.js';
import { SYNTH_STYLES, type SynthStyle } from './style.js';

function int(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got '${value}'`);
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError(`expected a positive number, got '${value}'`);
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
    .requiredOption('-o, --out <dir>', 'output folder (created)')
    .option('--size <pixels>', 'image size', int, defaultSize)
    .option('--seed <n>', 'dataset seed', int, 0)
    .addOption(new Option('--style <style>', 'rendering style').choices(SYNTH_STYLES).default('studio'));
}

/** Runs `write` with a progress display labelled `label`; prints `done` with the result. */
async function run<T>(label: string, flags: CommonFlags, write: (o: SynthDatasetOptions) => Promise<T>, done: (r: T) => string) {
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
  console.log(done(result));
}

const videoFormat = (def: SynthVideoFormat) =>
  new Option('--format <format>', 'video container').choices(['mp4', 'gif']).default(def);

/** Builds the `facelab-synth` program (exported for tests; src/cli.ts runs it). */
export function synthProgram(): Command {
  const program = new Command('facelab-synth')
    .description('Write synthetic face datasets with ground truth in the layouts of real datasets')
    .showHelpAfterError();

  common(program.command('lfw').description('LFW layout: lfw/<name>/<name>_0001.jpg + pairs.txt'), 112)
    .option('--identities <n>', 'number of identities', int, 10)
    .option('--images-per-identity <n>', 'images per identity', int, 4)
    .option('--folds <n>', 'folds of pairs', int, 1)
    .option('--pairs-per-fold <n>', 'same (and as many different) pairs per fold', int, 10)
    .action((f: CommonFlags & { identities: number; imagesPerIdentity: number; folds: number; pairsPerFold: number }) =>
      run(
        'lfw',
        f,
        (o) =>
          writeLfwDataset({ ...o, identities: f.identities, imagesPerIdentity: f.imagesPerIdentity, folds: f.folds, pairsPerFold: f.pairsPerFold }),
        (pairs) => `wrote ${pairs}`,
      ),
    );

  common(program.command('300w').description('300-W layout: synth_0001.png + synth_0001.pts (68 iBUG landmarks)'))
    .option('--count <n>', 'number of images', int, 20)
    .action((f: CommonFlags & { count: number }) =>
      run('300w', f, (o) => write300WDataset({ ...o, count: f.count }), (paths) => `wrote ${paths.length} images under ${f.out}`),
    );

  common(program.command('clips').description('clips as videos: clip_0001.mp4 + clip_0001.csv (frame,valence,arousal,emotion)'))
    .option('--count <n>', 'number of clips', int, 2)
    .option('--frames <n>', 'frames per clip', int, 48)
    .option('--fps <n>', 'frame rate', positive, 25)
    .addOption(videoFormat('mp4'))
    .action((f: CommonFlags & { count: number; frames: number; fps: number; format: SynthVideoFormat }) =>
      run(
        'clips',
        f,
        (o) => writeClipVideos({ ...o, count: f.count, frames: f.frames, fps: f.fps, format: f.format }),
        (paths) => `wrote ${paths.join(', ')}`,
      ),
    );
  common(program.command('deblur').description('deblurring pairs: blurred/0001.png (mean of sub-frames) + sharp/0001.png'))
    .option('--count <n>', 'number of pairs', int, 20)
    .option('--sub-frames <n>', 'sub-frames averaged per blurred image (odd)', int, 7)
    .option('--extent <pixels>', 'length of the motion path in pixels (default: 8 % of the size)', positive)
    .action((f: CommonFlags & { count: number; subFrames: number; extent?: number }) =>
      run(
        'deblur',
        f,
        (o) => writeDeblurDataset({ ...o, count: f.count, subFrames: f.subFrames, extent: f.extent }),
        (paths) => `wrote ${paths.length} pairs under ${f.out}`,
      ),
    );
  return program;
}
