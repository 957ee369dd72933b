/**
 * Build-time assets of the web demo, written to public/generated/ (served as generated/… by Vite):
 * - models/arcface, models/affwildnet: tfjs layers models (model.json + weights.bin) with *seeded, untrained*
 *   weights — IR-ResNet in its small test configuration (IRESNET_SMALL, seed 0) and AffWildNet's 'small'
 *   backbone (seed 1). They show that the browser computes what Node computes, not face recognition quality.
 * - faces.png (a vertical strip of three 32×32 synthetic faces: identity 0 twice, identity 1 once), clip.png (a vertical
 *   strip of 16 synthetic 32×32 frames of one identity) and rpca.png (a strip of 20 grey 24×24 frames: a still
 *   synthetic face with a bright square moving across it), all lossless PNG from @facelab/synth.
 * - expected.json: the three features run in Node on the cpu backend on exactly these pixels; the browser test
 *   compares the page's numbers with them.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { IRESNET_SMALL, iresnet } from '@facelab/arcface';
import { createAffWildNet } from '@facelab/affwildnet';
import { fileSystemIO, initBackend, silenceTfjsWarnings, tf } from '@facelab/core-tensor';
import { encodeImage } from '@facelab/data';
import { env, writeFileAtomic } from '@facelab/runtime';
import { renderClip, synthFace } from '@facelab/synth';
import { faceSimilarity, separateClip, splitStrip, valenceArousal, type Pixels } from '../src/features.js';

const out = join(process.cwd(), 'public', 'generated');

/** Square frames stacked as a column (the inverse of splitStrip). */
function strip(frames: readonly Pixels[]): Pixels {
  const { width, height, channels } = frames[0]!;
  const data = new Uint8Array(frames.length * width * height * channels);
  frames.forEach((f, i) => data.set(f.data, i * f.data.length));
  return { data, width, height: height * frames.length, channels };
}

async function png(name: string, p: Pixels): Promise<void> {
  await writeFileAtomic(join(out, name), await encodeImage(p, 'png'));
}

/** A grey clip: a still face, with a bright 5×5 square crossing it diagonally (the sparse foreground). */
function rpcaClip(frames: number, size: number): Pixels[] {
  const face = synthFace(7, { size, identity: 2 }).image;
  const grey = Uint8Array.from({ length: size * size }, (_, i) => Math.round((face[3 * i]! + face[3 * i + 1]! + face[3 * i + 2]!) / 3));
  return Array.from({ length: frames }, (_, t) => {
    const data = grey.slice();
    const x0 = Math.round((t * (size - 5)) / (frames - 1));
    for (let y = x0; y < x0 + 5; y++) for (let x = x0; x < x0 + 5; x++) data[y * size + x] = 250;
    return { data, width: size, height: size, channels: 1 };
  });
}

async function main(): Promise<void> {
  env.quiet = true;
  silenceTfjsWarnings();
  await initBackend('cpu');
  await mkdir(join(out, 'models'), { recursive: true });
  const arcface = iresnet({ ...IRESNET_SMALL, seed: 0 });
  const affwild = createAffWildNet({ backbone: 'small', seed: 1 });
  await arcface.save(fileSystemIO(join(out, 'models', 'arcface')));
  await affwild.save(fileSystemIO(join(out, 'models', 'affwildnet')));

  const rgb = (image: Uint8Array, size: number): Pixels => ({ data: image, width: size, height: size, channels: 3 });
  const faces = [synthFace(1, { size: 32, identity: 0 }), synthFace(2, { size: 32, identity: 0 }), synthFace(3, { size: 32, identity: 1 })].map((f) => rgb(f.image, 32));
  const clip = renderClip(11, { frames: 16, size: 32, identity: 3 }).map((f) => rgb(f.image, 32));
  const grey = rpcaClip(20, 24);
  await png('faces.png', strip(faces));
  await png('clip.png', strip(clip));
  await png('rpca.png', strip(grey));

  // The reference numbers come from the pixels as the page reads them back from the PNGs (split again here).
  const expected = {
    backend: tf.getBackend(),
    similarity: await faceSimilarity(arcface, faces),
    valenceArousal: await valenceArousal(affwild, splitStrip(strip(clip))),
    separation: separateClip(splitStrip(strip(grey))),
  };
  await writeFileAtomic(join(out, 'expected.json'), JSON.stringify(expected));
  arcface.dispose();
  affwild.dispose();
  console.log(`web: assets in ${out} (seeded weights; Node reference on '${expected.backend}')`);
}

await main();
