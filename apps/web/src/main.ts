/**
 * The demo page: picks a backend with core-tensor's initBrowserBackend, loads the build's models with tfjs io,
 * runs the three features on the bundled inputs (and on picked photos or the webcam) and shows the numbers,
 * pictures and frames per second. `window.facelab.run(backend)` does the same for the browser test and returns
 * the numbers.
 */
import { initBrowserBackend, tf } from '@facelab/core-tensor';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { faceSimilarity, separateClip, splitStrip, valenceArousal, type Pixels, type SeparationResult, type SimilarityResult } from './features.js';
import { pixelCanvas, plotAffect, readPixels, videoPixels } from './pixels.js';

const ASSETS = 'generated/';
const wasmPaths = { 'tfjs-backend-wasm.wasm': wasmUrl, 'tfjs-backend-wasm-simd.wasm': wasmSimdUrl, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl };

/** What one run of the three features returns (and the page shows). */
export interface RunResult {
  backend: string;
  similarity: SimilarityResult;
  valenceArousal: number[][];
  separation: SeparationResult;
  /** Frames (or faces) per second of each feature's second, warm run. */
  fps: { arcface: number; affwildnet: number; rpca: number };
  /** tf.memory().numTensors before and after the features ran (models excluded). */
  tensors: [number, number];
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
let models: { arcface: tf.LayersModel; affwildnet: tf.LayersModel } | undefined;

async function loadModels(): Promise<NonNullable<typeof models>> {
  models ??= {
    arcface: await tf.loadLayersModel(`${ASSETS}models/arcface/model.json`),
    affwildnet: await tf.loadLayersModel(`${ASSETS}models/affwildnet/model.json`),
  };
  return models;
}

/** Runs `fn` twice (the first run compiles shaders) and returns the second run's result and items per second. */
async function timed<T>(items: number, fn: () => T | Promise<T>): Promise<[T, number]> {
  await fn();
  const t0 = performance.now();
  const out = await fn();
  return [out, (items * 1000) / Math.max(performance.now() - t0, 1e-3)];
}

function show(id: string, ...nodes: Node[]): void {
  $(id).replaceChildren(...nodes);
}

function setStatus(text: string): void {
  $('status').textContent = text;
}

/** Switches backend (models are rebuilt on it) and returns its name. */
async function useBackend(name: string): Promise<string> {
  const backend = await initBrowserBackend({ prefer: name, wasmPaths });
  if (models !== undefined) {
    models.arcface.dispose();
    models.affwildnet.dispose();
    models = undefined;
  }
  await loadModels();
  return backend;
}

/** Runs the three features on the bundled inputs on `backend` ('' = the first of the chain that starts). */
async function run(backend = ''): Promise<RunResult> {
  setStatus('starting…');
  const name = await useBackend(backend);
  const { arcface, affwildnet } = await loadModels();
  const [facesStrip, clipStrip, rpcaStrip] = await Promise.all([readPixels(`${ASSETS}faces.png`, 3), readPixels(`${ASSETS}clip.png`, 3), readPixels(`${ASSETS}rpca.png`, 1)]);
  const faces = splitStrip(facesStrip);
  const clip = splitStrip(clipStrip);
  const rpcaFrames = splitStrip(rpcaStrip);
  const before = tf.memory().numTensors;
  setStatus(`running on ${name}…`);
  const [similarity, arcFps] = await timed(faces.length, () => faceSimilarity(arcface, faces));
  const [affect, affFps] = await timed(clip.length, () => valenceArousal(affwildnet, clip));
  const [separation, rpcaFps] = await timed(rpcaFrames.length, () => separateClip(rpcaFrames));
  const after = tf.memory().numTensors;
  const result: RunResult = { backend: tf.getBackend(), similarity, valenceArousal: affect, separation, fps: { arcface: arcFps, affwildnet: affFps, rpca: rpcaFps }, tensors: [before, after] };
  render(result, faces, clip, rpcaFrames);
  setStatus(`done on ${result.backend}`);
  return result;
}

const fmt = (v: number): string => v.toFixed(4);

function render(r: RunResult, faces: Pixels[], clip: Pixels[], rpcaFrames: Pixels[]): void {
  show('faces', ...faces.map((f) => pixelCanvas(f, 3)));
  $('similarity').textContent =
    `${r.backend}: cosine similarity (faces 1–2 same identity, 3 another)\n` +
    r.similarity.similarity.map((row, i) => `face ${i + 1}: ${row.map(fmt).join('  ')}`).join('\n') +
    `\n${r.fps.arcface.toFixed(1)} faces/s (with the mirrored pass)`;
  show('clip', ...clip.map((f) => pixelCanvas(f, 1.5)));
  plotAffect($('affectPlot'), r.valenceArousal);
  $('affect').textContent = `${r.backend}: ${r.valenceArousal.length} frames, ${r.fps.affwildnet.toFixed(1)} frames/s\nlast frame: valence ${fmt(r.valenceArousal.at(-1)![0]!)}, arousal ${fmt(r.valenceArousal.at(-1)![1]!)}`;
  const k = Math.floor(rpcaFrames.length / 2);
  const grey = (row: number[]): { data: number[]; width: number; height: number; channels: number } => ({ data: row, width: rpcaFrames[0]!.width, height: rpcaFrames[0]!.height, channels: 1 });
  show('rpcaInput', pixelCanvas(rpcaFrames[k]!, 5), document.createTextNode(' frame'));
  show('rpcaBackground', pixelCanvas(grey(r.separation.background[k]!), 5, true), document.createTextNode(' background L'));
  show('rpcaForeground', pixelCanvas(grey(r.separation.foreground[k]!.map((v) => Math.abs(v))), 5, true), document.createTextNode(' |foreground S|'));
  $('rpca').textContent = `pcp: ${r.separation.iterations} iterations, rank ${r.separation.rank}, ${r.fps.rpca.toFixed(1)} frames/s (plain JS, float64)`;
}

async function comparePhotos(): Promise<void> {
  const a = $<HTMLInputElement>('photoA').files?.[0];
  const b = $<HTMLInputElement>('photoB').files?.[0];
  if (a === undefined || b === undefined) return;
  const { arcface } = await loadModels();
  const size = arcface.inputs[0]!.shape[1]!;
  const faces = [await readPixels(a, 3, size), await readPixels(b, 3, size)];
  const r = await faceSimilarity(arcface, faces);
  show('faces', ...faces.map((f) => pixelCanvas(f, 3)));
  $('similarity').textContent = `${tf.getBackend()}: picked photos, cosine similarity ${fmt(r.similarity[0]![1]!)}`;
}

let webcamOn = false;

/** Valence/arousal over a sliding window of the last 16 webcam frames, with a frames-per-second readout. */
async function webcam(): Promise<void> {
  if (webcamOn || navigator.mediaDevices?.getUserMedia === undefined) return;
  webcamOn = true;
  const video = document.createElement('video');
  video.srcObject = await navigator.mediaDevices.getUserMedia({ video: true });
  await video.play();
  const { affwildnet } = await loadModels();
  const size = affwildnet.inputs[0]!.shape[2]!;
  const frames: Pixels[] = [];
  const series: number[][] = [];
  let last = performance.now();
  const step = async (): Promise<void> => {
    frames.push(videoPixels(video, size));
    if (frames.length > 16) frames.shift();
    series.push((await valenceArousal(affwildnet, frames)).at(-1)!);
    if (series.length > 200) series.shift();
    plotAffect($('affectPlot'), series);
    const now = performance.now();
    $('webcamFps').textContent = `${(1000 / (now - last)).toFixed(1)} fps on ${tf.getBackend()}`;
    last = now;
    requestAnimationFrame(() => void step());
  };
  requestAnimationFrame(() => void step());
}

declare global {
  interface Window {
    facelab: { run: typeof run; ready: boolean };
  }
}

window.facelab = { run, ready: true };
$('run').addEventListener('click', () => void run($<HTMLSelectElement>('backend').value).catch((e: unknown) => setStatus(String(e))));
$('photoA').addEventListener('change', () => void comparePhotos());
$('photoB').addEventListener('change', () => void comparePhotos());
$('webcam').addEventListener('click', () => void webcam().catch((e: unknown) => setStatus(String(e))));
