/**
 * Fused GRU recurrence kernels: `FacelabGruRecurrence` (xw [B, T, 3H], recurrentKernel [H, 3H] → h [B, T, H])
 * runs a GRU's whole time loop as one kernel, and `FacelabGruRecurrenceGrad` (dh, h, xw, recurrentKernel →
 * dxw, dU) its backward pass, for the cpu and wasm backends ('onnxruntime' is wasm with some kernels
 * swapped, so it is covered). The gradient is registered beside them, tfjs style, so the op works under
 * tf.grad / tf.variableGrads. tfjs-layers' GRU instead runs ~15 small kernels per step, each with engine and
 * tape overhead; that overhead, not arithmetic, is what a GRU costs on wasm.
 */
import { tf } from '../../tf.js';
import { cpuGruOps } from './ops-cpu.js';
import { wasmGruOps } from './ops-wasm.js';
import { gruBackward, gruForward, type GruBackendOps } from './recurrence.js';

/** Kernel name of the fused forward recurrence. */
export const GRU_RECURRENCE = 'FacelabGruRecurrence';
/** Kernel name of its gradient. */
export const GRU_RECURRENCE_GRAD = 'FacelabGruRecurrenceGrad';

const BACKENDS: [string, (backend: tf.KernelBackend) => GruBackendOps][] = [
  ['cpu', cpuGruOps],
  ['wasm', wasmGruOps],
];

type KernelArgs = { inputs: Record<string, tf.TensorInfo>; backend: tf.KernelBackend };

let registered = false;

/** Registers both kernels for cpu and wasm and the forward kernel's gradient (idempotent). */
export function registerGruKernels(): void {
  if (registered) return;
  for (const [backendName, opsFor] of BACKENDS) {
    const forward = ({ inputs, backend }: KernelArgs) => gruForward(opsFor(backend), inputs.xw!, inputs.recurrentKernel!);
    const backward = ({ inputs, backend }: KernelArgs) =>
      gruBackward(opsFor(backend), inputs.dh!, inputs.h!, inputs.xw!, inputs.recurrentKernel!);
    for (const [kernelName, f] of [[GRU_RECURRENCE, forward], [GRU_RECURRENCE_GRAD, backward]] as const) {
      if (tf.getKernel(kernelName, backendName) === undefined) {
        tf.registerKernel({ kernelName, backendName, kernelFunc: f as unknown as tf.KernelFunc });
      }
    }
  }
  if (tf.getGradient(GRU_RECURRENCE) === undefined) {
    tf.registerGradient({
      kernelName: GRU_RECURRENCE,
      inputsToSave: ['xw', 'recurrentKernel'],
      outputsToSave: [true],
      gradFunc: (dy, saved) => {
        const [xw, recurrentKernel, h] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const [dxw, du] = tf
          .engine()
          .runKernel(GRU_RECURRENCE_GRAD, { dh: dy as tf.Tensor, h, xw, recurrentKernel }) as tf.Tensor[];
        return { xw: () => dxw!, recurrentKernel: () => du! };
      },
    });
  }
  registered = true;
}

/** The same recurrence as tf ops, one step at a time: for backends without the fused kernels (tfjs-node, webgl). */
function gruRecurrenceOps(xw: tf.Tensor3D, u: tf.Tensor2D): tf.Tensor3D {
  const nh = u.shape[0];
  const [uzr, uh] = tf.split(u, [2 * nh, nh], 1) as [tf.Tensor2D, tf.Tensor2D];
  const [nb, nt] = xw.shape;
  let h: tf.Tensor2D = tf.zeros([nb, nh]);
  const out: tf.Tensor2D[] = [];
  // Slices, not unstack: tfjs's Unpack gradient fails for a single time step.
  for (let t = 0; t < nt; t++) {
    const x = tf.reshape(tf.slice(xw, [0, t, 0], [nb, 1, 3 * nh]), [nb, 3 * nh]);
    const [xz, xr, xh] = tf.split(x, 3, 1);
    const [pz, pr] = tf.split(tf.matMul(h, uzr), 2, 1);
    const z = tf.sigmoid(tf.add(xz!, pz!));
    const r = tf.sigmoid(tf.add(xr!, pr!));
    const c = tf.tanh(tf.add(xh!, tf.matMul(tf.mul(r, h), uh)));
    h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), c));
    out.push(h);
  }
  return tf.stack(out, 1) as tf.Tensor3D;
}

/**
 * Runs the GRU recurrence over precomputed input projections: xw = x·kernel + bias [B, T, 3H] and the
 * recurrent kernel [H, 3H] (tfjs GRUCell layout: columns z, r, h) → every step's state [B, T, H], from a zero
 * initial state. One fused kernel on cpu and wasm; tf ops elsewhere. Differentiable in both inputs.
 * `opts.fused` overrides that choice (false: the tf-ops path, e.g. to check one against the other).
 */
export function gruRecurrence(xw: tf.Tensor3D, recurrentKernel: tf.Tensor2D, opts: { fused?: boolean } = {}): tf.Tensor3D {
  const [nb, nt, h3] = xw.shape;
  const u = recurrentKernel.shape;
  if (xw.rank !== 3 || recurrentKernel.rank !== 2 || u[1] !== 3 * u[0] || h3 !== u[1]) {
    throw new Error(
      `gruRecurrence: expected xw [batch, time, 3·units] and recurrentKernel [units, 3·units], ` +
        `got xw [${xw.shape}] and recurrentKernel [${u}]`,
    );
  }
  if (xw.dtype !== 'float32' || recurrentKernel.dtype !== 'float32') {
    throw new Error(`gruRecurrence: xw and recurrentKernel must be float32, got ${xw.dtype} and ${recurrentKernel.dtype}`);
  }
  if (nt === 0 || nb === 0) throw new Error(`gruRecurrence: xw [${xw.shape}] has no batch entries or time steps`);
  registerGruKernels();
  const fused = opts.fused ?? tf.getKernel(GRU_RECURRENCE, tf.getBackend()) !== undefined;
  if (!fused) return tf.tidy(() => gruRecurrenceOps(xw, recurrentKernel));
  return tf.engine().runKernel(GRU_RECURRENCE, { xw, recurrentKernel }) as tf.Tensor3D;
}
