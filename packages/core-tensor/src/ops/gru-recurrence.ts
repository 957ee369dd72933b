/**
 * The gruRecurrence op: runs the fused kernel FacelabGruRecurrence (backend/kernel_names.ts; kernels in
 * backend/kernels/<backend>/, gradient in backend/gradients/) where the active backend has it, tf ops
 * elsewhere. tfjs-layers' GRU instead runs ~15 small kernels per step, each with engine and tape overhead;
 * that overhead, not arithmetic, is what a GRU costs on wasm.
 */
import { FacelabGruRecurrence } from '../backend/kernel_names.js';
import { tf } from '../tf.js';

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
  const fused = opts.fused ?? tf.getKernel(FacelabGruRecurrence, tf.getBackend()) !== undefined;
  if (!fused) return tf.tidy(() => gruRecurrenceOps(xw, recurrentKernel));
  return tf.engine().runKernel(FacelabGruRecurrence, { xw, recurrentKernel }) as tf.Tensor3D;
}
