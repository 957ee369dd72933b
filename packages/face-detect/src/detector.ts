/**
 * createFaceDetector: Human's BlazeFace detector + FaceMesh (478 points) on facelab's tfjs engine, loaded from the
 * installed @vladmandic/human package with no network access; each face with its box, scores, the five ArcFace
 * points and the 68 iBUG landmarks taken from the mesh.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tf } from '@facelab/core-tensor';
import { loadHumanClass, locateHuman, type HumanFace, type HumanInstance, type HumanInstall } from './human-loader.js';
import { fivePointsFromMesh, ibug68FromMesh, type Point } from './mesh-points.js';
import { registerFileModelRouter } from './model-files.js';

/** Options of {@link createFaceDetector}. */
export interface FaceDetectorOptions {
  /** Most faces reported per image (default 20). */
  maxFaces?: number;
  /** Smallest detection score kept (BlazeFace, 0..1; default 0.2, Human's own). */
  minScore?: number;
  /** Also compute Human's `faceres` descriptor (1024 numbers) per face (default false). */
  descriptor?: boolean;
  /** Run the iris model for points 468–477 of the mesh (default false: 468 points). */
  iris?: boolean;
}

/** One detected face; coordinates in pixels of the input image. */
export interface DetectedFace {
  /** Face box [x, y, width, height] (FaceMesh's box around the mesh). */
  box: [number, number, number, number];
  /** Overall score (Human's combination of the detection and mesh scores, 0..1). */
  score: number;
  /** BlazeFace detection score. */
  boxScore: number;
  /** FaceMesh confidence. */
  meshScore: number;
  /** The five ArcFace points (image-left eye, image-right eye, nose tip, mouth corners), see FIVE_POINT_MESH_INDICES. */
  fivePoints: Point[];
  /** The 68 iBUG landmarks, mapped from the mesh (MESH_TO_IBUG68). */
  landmarks68: Point[];
  /** The face mesh, [x, y, z] per point (468, or 478 with `iris`). */
  mesh: [number, number, number][];
  /** Human's faceres descriptor when asked for with `descriptor`. */
  descriptor?: number[];
}

/** A loaded face detector: `detect` an image tensor, `dispose` when done. */
export interface FaceDetector {
  /**
   * Faces in `image` ([H, W, 3] or [H, W, 4]; int32 0..255 or float32 in [0, 1]), largest first. The input is not
   * disposed; no tensors are left behind.
   */
  detect(image: tf.Tensor3D): Promise<DetectedFace[]>;
  /** The Human version and where its models were read from. */
  readonly info: { humanVersion: string; models: string; backend: string };
}

let human: HumanInstance | undefined;
let humanInstall: HumanInstall | undefined;
let humanBackend: string | undefined;

function wasmDir(): string {
  const req = createRequire(import.meta.url);
  return join(dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

function humanConfig(install: HumanInstall, backend: string, o: Required<FaceDetectorOptions>): Record<string, unknown> {
  const off = { enabled: false };
  return {
    backend,
    wasmPath: wasmDir(),
    modelBasePath: pathToFileURL(install.models).href + '/',
    debug: false,
    async: false,
    warmup: 'none',
    cacheSensitivity: 0,
    cacheModels: false,
    validateModels: false,
    filter: off,
    gesture: off,
    body: off,
    hand: off,
    object: off,
    segmentation: off,
    face: {
      enabled: true,
      detector: { enabled: true, rotation: false, maxDetected: o.maxFaces, minConfidence: o.minScore, skipFrames: 0, skipTime: 0, return: false },
      mesh: { enabled: true, keepInvalid: false },
      attention: off,
      iris: { enabled: o.iris, skipFrames: 0, skipTime: 0 },
      description: { enabled: o.descriptor, skipFrames: 0, skipTime: 0 },
      emotion: off,
      antispoof: off,
      liveness: off,
      gear: off,
    },
  };
}

function checkOptions(options: FaceDetectorOptions): Required<FaceDetectorOptions> {
  const o = { maxFaces: 20, minScore: 0.2, descriptor: false, iris: false, ...options };
  if (!Number.isInteger(o.maxFaces) || o.maxFaces < 1) throw new Error(`createFaceDetector: maxFaces must be a positive integer, got ${o.maxFaces}`);
  if (!(o.minScore >= 0 && o.minScore <= 1)) throw new Error(`createFaceDetector: minScore must be in [0, 1], got ${o.minScore}`);
  return o;
}

function toFace(f: HumanFace): DetectedFace {
  const mesh = f.mesh.map((p) => [p[0], p[1], p[2] ?? 0] as [number, number, number]);
  const face: DetectedFace = {
    box: [f.box[0], f.box[1], f.box[2], f.box[3]],
    score: f.score,
    boxScore: f.boxScore,
    meshScore: f.faceScore,
    fivePoints: fivePointsFromMesh(mesh),
    landmarks68: ibug68FromMesh(mesh),
    mesh,
  };
  if (f.embedding !== undefined && f.embedding.length > 0) face.descriptor = [...f.embedding];
  return face;
}

/** Human's input: int32 0..255 RGB (float input in [0, 1] is scaled, alpha dropped). */
function humanInput(image: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy((): tf.Tensor3D => {
    const rgb = image.shape[2] === 4 ? tf.slice(image, [0, 0, 0], [-1, -1, 3]) : image;
    if (image.dtype === 'int32') return rgb === image ? tf.clone(image) : (rgb as tf.Tensor3D);
    return tf.cast(tf.round(tf.mul(tf.clipByValue(rgb, 0, 1), 255)), 'int32') as tf.Tensor3D;
  });
}

/**
 * Loads Human (one instance per process, on tfjs' current backend) and returns a detector. Human's models are
 * read from the installed package through a `file://` loader; Human turns on tfjs production mode and may register
 * fallback kernels for ops the backend lacks. Throws one line when @vladmandic/human is not installed.
 */
export async function createFaceDetector(options: FaceDetectorOptions = {}): Promise<FaceDetector> {
  const o = checkOptions(options);
  const install = humanInstall ?? locateHuman(import.meta.url);
  await tf.ready();
  const backend = tf.getBackend();
  if (human === undefined) {
    registerFileModelRouter();
    const Human = loadHumanClass(install);
    human = new Human(humanConfig(install, backend, o));
    humanInstall = install;
    humanBackend = backend;
  } else if (humanBackend !== backend) {
    throw new Error(`createFaceDetector: Human was loaded on backend '${humanBackend}' and tfjs now runs on '${backend}'; one Human per process`);
  }
  // Loads the models these options need and that are not loaded yet (the descriptor and iris models on demand).
  const config = humanConfig(install, backend, o);
  const instance = human;
  await instance.load(config);
  return {
    info: { humanVersion: instance.version, models: install.models, backend },
    async detect(image: tf.Tensor3D): Promise<DetectedFace[]> {
      if (!(image instanceof tf.Tensor) || image.rank !== 3 || (image.shape[2] !== 3 && image.shape[2] !== 4)) {
        throw new Error(`detect: image must be a [height, width, 3 or 4] tensor, got ${image instanceof tf.Tensor ? `[${image.shape}]` : typeof image}`);
      }
      if (image.dtype !== 'int32') {
        const max = tf.tidy(() => tf.max(image).dataSync()[0]!);
        if (max > 1) throw new Error(`detect: a float image must hold values in [0, 1], got a maximum of ${max} (give 0..255 pixels as int32)`);
      }
      const input = humanInput(image);
      try {
        const result = await instance.detect(input, config);
        if (result.error) throw new Error(`detect: Human failed: ${result.error}`);
        for (const f of result.face) f.tensor?.dispose();
        return result.face.map(toFace).sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3]);
      } finally {
        input.dispose();
      }
    },
  };
}
