/**
 * Finds and loads @vladmandic/human (an optional peer) in the build that uses the host's tfjs-core
 * (`dist/human.node-wasm.js`: its package `exports` block deep imports and its main entry needs tfjs-node, so
 * the file is required by path, next to the entry that `require.resolve` finds).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The @vladmandic/human version face-detect is built and tested against. */
export const HUMAN_VERSION = '3.3.6';

/** The part of Human's API face-detect uses (its own types need its bundled tfjs types). */
export interface HumanInstance {
  version: string;
  config: Record<string, unknown>;
  load(config?: Record<string, unknown>): Promise<void>;
  detect(input: unknown, config?: Record<string, unknown>): Promise<{ face: HumanFace[]; error?: string | null }>;
}

/** One face as Human reports it (the fields face-detect reads). */
export interface HumanFace {
  score: number;
  boxScore: number;
  faceScore: number;
  box: [number, number, number, number];
  mesh: [number, number, number?][];
  embedding?: number[];
  tensor?: { dispose(): void };
}

/** Where the installed Human lives: its package folder, the node-wasm build and the models folder. */
export interface HumanInstall {
  dir: string;
  build: string;
  models: string;
}

/** The @tensorflow/tfjs-converter version Human's build needs beside facelab's tfjs-core 4.22. */
export const TFJS_CONVERTER_VERSION = '4.22.0';

const INSTALL = `npm install @vladmandic/human@${HUMAN_VERSION} @tensorflow/tfjs-converter@${TFJS_CONVERTER_VERSION}`;
const MISSING = `@facelab/face-detect needs the optional peer @vladmandic/human ${HUMAN_VERSION} (face models inside its npm package): ${INSTALL}`;

/** Locates Human from `from` (a file URL or path); throws one line saying how to install it when it is missing. */
export function locateHuman(from: string = import.meta.url): HumanInstall {
  let entry: string;
  try {
    entry = createRequire(from).resolve('@vladmandic/human');
  } catch {
    throw new Error(MISSING);
  }
  const dir = dirname(dirname(entry));
  const install = { dir, build: join(dir, 'dist', 'human.node-wasm.js'), models: join(dir, 'models') };
  if (!existsSync(install.build) || !existsSync(join(install.models, 'blazeface.json'))) {
    throw new Error(`${MISSING} (found one at ${dir} without dist/human.node-wasm.js or models/blazeface.json)`);
  }
  try {
    createRequire(install.build).resolve('@tensorflow/tfjs-converter');
  } catch {
    throw new Error(`@facelab/face-detect: Human's build needs the optional peer @tensorflow/tfjs-converter ${TFJS_CONVERTER_VERSION}: ${INSTALL}`);
  }
  return install;
}

/** The Human class of the installed package (its node-wasm build, which shares the host's tfjs-core). */
export function loadHumanClass(install: HumanInstall): new (config: Record<string, unknown>) => HumanInstance {
  const mod = createRequire(install.build)(install.build) as { Human?: new (config: Record<string, unknown>) => HumanInstance };
  if (typeof mod.Human !== 'function') throw new Error(`${install.build} does not export Human`);
  return mod.Human;
}
