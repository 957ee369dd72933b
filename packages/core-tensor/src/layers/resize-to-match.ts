/**
 * Bilinear resize of a feature map to the height and width of a second input, for fully convolutional
 * networks whose outputs must match an input of any size (DeepLab's Interp layer). tfjs-layers' UpSampling2D
 * only multiplies by a fixed factor.
 */
import { tf } from '../tf.js';

type Shape = (number | null)[];

/** Options of {@link ResizeToMatch}. */
export interface ResizeToMatchArgs {
  /** Align corner pixels (default true: DeepLab's Interp and PyTorch's `align_corners=True`). */
  alignCorners?: boolean;
  /** Layer name. */
  name?: string;
}

/** `[x, reference]` → x resized bilinearly to reference's [height, width]; x's channels are kept. */
export class ResizeToMatch extends tf.layers.Layer {
  /** Class name in saved model topologies. */
  static readonly className = 'FacelabResizeToMatch';
  /** Whether corner pixels are aligned. */
  readonly alignCorners: boolean;

  constructor(args: ResizeToMatchArgs = {}) {
    super({ name: args.name });
    this.alignCorners = args.alignCorners ?? true;
  }

  private pair(inputShape: Shape | Shape[]): [Shape, Shape] {
    const [x, ref] = inputShape as Shape[];
    if (x?.length !== 4 || ref?.length !== 4) {
      throw new Error(`ResizeToMatch '${this.name}': expects [x, reference], both [batch, height, width, channels]`);
    }
    return [x, ref];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [x, ref] = this.pair(inputShape);
    return [x[0]!, ref[1]!, ref[2]!, x[3]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) throw new Error(`ResizeToMatch '${this.name}': expects two inputs [x, reference]`);
    const [x, ref] = inputs as [tf.Tensor4D, tf.Tensor4D];
    const size: [number, number] = [ref.shape[1], ref.shape[2]];
    if (x.shape[1] === size[0] && x.shape[2] === size[1]) return tf.clone(x);
    return tf.image.resizeBilinear(x, size, this.alignCorners);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), alignCorners: this.alignCorners };
  }
}

tf.serialization.registerClass(ResizeToMatch);
