/**
 * A GRU layer computed as one input product over all time steps plus one fused recurrence kernel (see
 * ops/gru-recurrence.ts), with tfjs's GRU weights and semantics: tfjs GRUCell with sigmoid gates, tanh
 * candidate, reset gate before the recurrent product (resetAfter false), gate order z, r, h, weights
 * `<name>/kernel` [in, 3u], `<name>/recurrent_kernel` [u, 3u], `<name>/bias` [3u], zero initial state.
 */
import { checkPositiveInt } from '@facelab/runtime';
import { registeredClass } from '../backend/compat/serialization-registry.js';
import { gruRecurrence } from '../ops/gru-recurrence.js';
import { tf } from '../tf.js';

type Shape = (number | null)[];
type Initializer = ReturnType<typeof tf.initializers.zeros>;
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
/** An initializer, or its serialised form `{ className, config }` (as in a saved model's topology). */
export type FusedGruInitializer = Initializer | { className: string; config: tf.serialization.ConfigDict };

/** Options of {@link FusedGru}. */
export interface FusedGruArgs extends LayerArgs {
  /** Hidden units. */
  units: number;
  /** Return every step [B, T, units] (default false, as tfjs) or only the last one [B, units]. */
  returnSequences?: boolean;
  /** Input kernel initializer (default glorotNormal, tfjs's GRU default). */
  kernelInitializer?: FusedGruInitializer;
  /** Recurrent kernel initializer (default orthogonal). */
  recurrentInitializer?: FusedGruInitializer;
  /** Bias initializer (default zeros). */
  biasInitializer?: FusedGruInitializer;
}

/** tfjs GRU options this layer does not implement, with the only value it accepts. */
const FIXED: Record<string, unknown> = {
  activation: 'tanh',
  recurrentActivation: 'sigmoid',
  useBias: true,
  resetAfter: false,
  dropout: 0,
  recurrentDropout: 0,
  stateful: false,
  goBackwards: false,
  returnState: false,
};

function toInitializer(init: FusedGruInitializer | undefined, fallback: () => Initializer): Initializer {
  if (init === undefined) return fallback();
  if (init instanceof tf.serialization.Serializable) return init as Initializer;
  const entry = registeredClass(init.className);
  if (entry === undefined) throw new Error(`FusedGru: unknown initializer class '${init.className}'`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, init.config) as Initializer;
}

const serialise = (init: Initializer) => ({ className: init.getClassName(), config: init.getConfig() });

/**
 * x [B, T, F] → GRU states ([B, T, units] with `returnSequences`, else the last [B, units]): xw = x·kernel +
 * bias as one product over all B·T rows, then {@link gruRecurrence}. Differentiable in every input.
 */
export function fusedGru(
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  returnSequences: boolean,
): tf.Tensor {
  const [nb, nt, nf] = x.shape;
  const units = recurrentKernel.shape[0];
  if (x.rank !== 3) throw new Error(`fusedGru: x must be 3-D [batch, time, features], got shape [${x.shape}]`);
  if (kernel.shape[0] !== nf || kernel.shape[1] !== 3 * units || bias.shape[0] !== 3 * units) {
    throw new Error(
      `fusedGru: x [${x.shape}] needs kernel [${nf}, ${3 * units}] and bias [${3 * units}] for ${units} units, ` +
        `got kernel [${kernel.shape}] and bias [${bias.shape}]`,
    );
  }
  return tf.tidy(() => {
    const xw = tf.fused.matMul({ a: tf.reshape(x, [nb * nt, nf]), b: kernel, bias });
    const h = gruRecurrence(tf.reshape(xw, [nb, nt, 3 * units]), recurrentKernel);
    return returnSequences ? h : tf.reshape(tf.slice(h, [0, nt - 1, 0], [nb, 1, units]), [nb, units]);
  });
}

/**
 * GRU layer with tfjs's GRU weights and semantics (sigmoid gates, reset before the recurrent product), run
 * as one input product and one fused recurrence kernel forward and backward. No masks, state or dropout.
 */
export class FusedGru extends tf.layers.Layer {
  /** Class name in saved model topologies. */
  static readonly className = 'FacelabFusedGru';
  /** Hidden units. */
  readonly units: number;
  /** Whether every step is returned. */
  readonly returnSequences: boolean;
  private readonly kernelInitializer: Initializer;
  private readonly recurrentInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private kernel: tf.LayerVariable | undefined;
  private recurrentKernel: tf.LayerVariable | undefined;
  private bias: tf.LayerVariable | undefined;

  constructor(args: FusedGruArgs) {
    const { units, returnSequences, kernelInitializer, recurrentInitializer, biasInitializer, ...rest } = args;
    super(rest);
    const label = `FusedGru '${this.name}'`;
    checkPositiveInt(units, `${label}: units`);
    for (const [key, only] of Object.entries(FIXED)) {
      const v = (args as unknown as Record<string, unknown>)[key];
      if (v !== undefined && v !== null && v !== only) {
        throw new Error(`${label}: ${key} = ${JSON.stringify(v)} is not supported (only ${JSON.stringify(only)}); use tf.layers.gru`);
      }
    }
    this.units = units;
    this.returnSequences = returnSequences ?? false;
    this.kernelInitializer = toInitializer(kernelInitializer, () => tf.initializers.glorotNormal({}));
    this.recurrentInitializer = toInitializer(recurrentInitializer, () => tf.initializers.orthogonal({}));
    this.biasInitializer = toInitializer(biasInitializer, () => tf.initializers.zeros());
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const features = shape[2];
    if (shape.length !== 3 || features == null) {
      throw new Error(`FusedGru '${this.name}': input must be 3-D [batch, time, features], got shape ${JSON.stringify(shape)}`);
    }
    const u = this.units;
    this.kernel = this.addWeight('kernel', [features, 3 * u], 'float32', this.kernelInitializer);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 3 * u], 'float32', this.recurrentInitializer);
    this.bias = this.addWeight('bias', [3 * u], 'float32', this.biasInitializer);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return this.returnSequences ? [shape[0]!, shape[1]!, this.units] : [shape[0]!, this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    if (kwargs?.mask != null) throw new Error(`FusedGru '${this.name}': masks are not supported; use tf.layers.gru`);
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (x.rank !== 3) throw new Error(`FusedGru '${this.name}': input must be 3-D [batch, time, features], got shape [${x.shape}]`);
    return fusedGru(
      x as tf.Tensor3D,
      this.kernel!.read() as tf.Tensor2D,
      this.recurrentKernel!.read() as tf.Tensor2D,
      this.bias!.read() as tf.Tensor1D,
      this.returnSequences,
    );
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      returnSequences: this.returnSequences,
      kernelInitializer: serialise(this.kernelInitializer),
      recurrentInitializer: serialise(this.recurrentInitializer),
      biasInitializer: serialise(this.biasInitializer),
    };
  }
}

tf.serialization.registerClass(FusedGru);
