/**
 * The one configuration object of facelab: every runtime switch as a typed field with its default, in the
 * spirit of onnxruntime-web's and transformers.js's `env`. The FACELAB_* environment variables are read
 * here and only here, once, when this module loads; code reads `env.<field>` when it needs the value, so
 * assigning a field (in a program or a test) takes effect from the next use.
 *
 * Assigning an invalid value throws at once. An invalid environment variable does not break the import: the
 * field then throws the variable's error wherever it is read, until it is assigned.
 */

/** facelab's runtime switches. */
export interface FacelabEnv {
  /**
   * The backend `initBackend()` uses when called without a name (FACELAB_BACKEND). Default: undefined, the
   * first that loads of tensorflow-gpu, tensorflow, webgpu (hardware adapters only; 'webgpu' named here also
   * takes a software one), onednn, onnxruntime, wasm, cpu.
   */
  backend: string | undefined;
  /** Silences the line `initBackend` prints about the backend it chose (FACELAB_QUIET=1). Default: false. */
  quiet: boolean;
  /**
   * Threads of onnxruntime's kernels (FACELAB_ORT_THREADS), a positive integer. Default: undefined, which
   * each user of onnxruntime resolves to its own default: every core for core-tensor's 'onnxruntime' backend
   * and `runGraph`/`nativeGemmF64`; one thread for @facelab/rpca's products (its solvers make hundreds of
   * small calls, and on a loaded machine a multi-threaded call waits for descheduled workers). A number
   * overrides both defaults (rpca then uses it for products of 5·10⁷ FLOPs and more). A per-call `threads`
   * option (`nativeGemmF64`, `runGraph`) overrides this field.
   */
  ortThreads: number | undefined;
  /**
   * FLOPs below which an 'onnxruntime' kernel hands the call to the wasm kernel it replaces
   * (FACELAB_ORT_MIN_FLOPS), a non-negative number. Default: 2e6 (an onnxruntime call costs ~20 µs).
   */
  ortMinFlops: number;
  /**
   * Runs the fused batch-norm kernels on onnxruntime on the 'onnxruntime' backend (FACELAB_ORT_BATCH_NORM=1).
   * Default: false (the wasm loop kernels, faster in a whole training step).
   */
  ortBatchNorm: boolean;
  /**
   * Threads of the wasm backend (FACELAB_WASM_THREADS), a non-negative integer; fewer than 2 means one
   * thread. Read when the wasm backend first initialises. Default: 0 (one thread).
   */
  wasmThreads: number;
  /**
   * The ffmpeg binary @facelab/data runs (FACELAB_FFMPEG); `ffprobe` is taken from the same directory.
   * Default: 'ffmpeg' (on PATH).
   */
  ffmpeg: string;
  /**
   * Which kernel runs @facelab/rpca's float64 products (FACELAB_RPCA_GEMM): 'auto' (onnxruntime from 10⁶
   * FLOPs, JS below), 'js' (always JS) or 'native' (onnxruntime for every size). Default: 'auto'.
   */
  rpcaGemm: 'auto' | 'js' | 'native';
}

/** How one field is read from its variable and checked. */
interface Setting<K extends keyof FacelabEnv> {
  variable: string;
  defaultValue: FacelabEnv[K];
  /** What a valid value is, for error messages. */
  requirement: string;
  valid(value: unknown): value is FacelabEnv[K];
  /** The variable's text as a value (checked with `valid` afterwards); '' never reaches it. */
  parse(raw: string): unknown;
}

const isPositiveInteger = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;
const isNonNegativeInteger = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const flag = (raw: string) => raw === '1';

const SETTINGS: { [K in keyof FacelabEnv]: Setting<K> } = {
  backend: {
    variable: 'FACELAB_BACKEND',
    defaultValue: undefined,
    requirement: 'a backend name or undefined',
    valid: (v): v is string | undefined => v === undefined || typeof v === 'string',
    parse: (raw) => raw,
  },
  quiet: { variable: 'FACELAB_QUIET', defaultValue: false, requirement: 'a boolean', valid: (v) => typeof v === 'boolean', parse: flag },
  ortThreads: {
    variable: 'FACELAB_ORT_THREADS',
    defaultValue: undefined,
    requirement: 'a positive integer',
    valid: (v): v is number | undefined => v === undefined || isPositiveInteger(v),
    parse: Number,
  },
  ortMinFlops: {
    variable: 'FACELAB_ORT_MIN_FLOPS',
    defaultValue: 2e6,
    requirement: 'a non-negative number',
    valid: (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0,
    parse: Number,
  },
  ortBatchNorm: {
    variable: 'FACELAB_ORT_BATCH_NORM',
    defaultValue: false,
    requirement: 'a boolean',
    valid: (v) => typeof v === 'boolean',
    parse: flag,
  },
  wasmThreads: {
    variable: 'FACELAB_WASM_THREADS',
    defaultValue: 0,
    requirement: 'a non-negative integer',
    valid: isNonNegativeInteger,
    parse: Number,
  },
  ffmpeg: {
    variable: 'FACELAB_FFMPEG',
    defaultValue: 'ffmpeg',
    requirement: 'a non-empty path',
    valid: (v): v is string => typeof v === 'string' && v !== '',
    parse: (raw) => raw,
  },
  rpcaGemm: {
    variable: 'FACELAB_RPCA_GEMM',
    defaultValue: 'auto',
    requirement: "'auto', 'js' or 'native'",
    valid: (v): v is 'auto' | 'js' | 'native' => v === 'auto' || v === 'js' || v === 'native',
    parse: (raw) => raw,
  },
};

type Slot = { value: unknown } | { error: Error };
const slots = new Map<keyof FacelabEnv, Slot>();

/**
 * facelab's runtime configuration (see {@link FacelabEnv} for each field, its variable and its default).
 * Assign a field to change it; assigning an invalid value throws.
 */
export const env = {} as FacelabEnv;

for (const key of Object.keys(SETTINGS) as (keyof FacelabEnv)[]) {
  const setting = SETTINGS[key] as Setting<keyof FacelabEnv>;
  slots.set(key, { value: setting.defaultValue });
  Object.defineProperty(env, key, {
    enumerable: true,
    get() {
      const slot = slots.get(key)!;
      if ('error' in slot) throw slot.error;
      return slot.value;
    },
    set(value: unknown) {
      if (!setting.valid(value)) throw new Error(`env.${key} must be ${setting.requirement}, got ${JSON.stringify(value)}`);
      slots.set(key, { value });
    },
  });
}

/**
 * Sets the fields whose FACELAB_* variable `vars` defines (non-empty) and leaves the others as they are.
 * Done once with the process environment when this module loads (in Node); a variable with an invalid value makes
 * its field throw that variable's error when read.
 */
export function applyEnvironment(vars: Readonly<Record<string, string | undefined>>): void {
  for (const key of Object.keys(SETTINGS) as (keyof FacelabEnv)[]) {
    const setting = SETTINGS[key] as Setting<keyof FacelabEnv>;
    const raw = vars[setting.variable];
    if (raw === undefined || raw === '') continue;
    const value = setting.parse(raw);
    slots.set(
      key,
      setting.valid(value) ? { value } : { error: new Error(`${setting.variable} must be ${setting.requirement}, got '${raw}'`) },
    );
  }
}

/**
 * The process environment, for the variables other libraries read themselves (Vulkan's loader, OpenMP); empty
 * in a browser. facelab's own switches are `env`'s fields, not read from here.
 */
export function processVariables(): Readonly<Record<string, string | undefined>> {
  return typeof process !== 'undefined' && process.env !== undefined ? process.env : {};
}

/**
 * Runs `load` with the process variable `name` set to `value`, for a native library that reads it once, as it
 * loads; a value the user set is kept, and ours is removed afterwards so that child processes start with the
 * user's environment. In a browser `load` just runs.
 */
export function withLoadTimeVariable<T>(name: string, value: string, load: () => T): T {
  const vars = typeof process !== 'undefined' ? process.env : undefined;
  const ours = vars !== undefined && vars[name] === undefined;
  if (ours) vars[name] = value;
  try {
    return load();
  } finally {
    if (ours) delete vars[name];
  }
}

// A browser has no process environment: the defaults stand there until fields are assigned.
applyEnvironment(processVariables());
