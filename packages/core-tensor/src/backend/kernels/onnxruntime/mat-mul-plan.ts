/**
 * The graph plan shared by BatchMatMul and _FusedMatMul (dense layers) on onnxruntime: MatMul with numpy batch broadcasting;
 * transposes are Transpose nodes that ORT folds into its fused MatMul.
 */
import { tf } from '../../../tf.js';
import { OnnxGraph } from '@facelab/runtime';
import { activate, ORT_ACTIVATIONS, sizeOf, type OrtKernelArgs } from './ort-kernel.js';

interface Attrs {
  transposeA: boolean;
  transposeB: boolean;
  activation?: string;
  leakyreluAlpha?: number;
}

function swapLast(rank: number): number[] {
  return [...Array(rank - 2).keys(), rank - 1, rank - 2];
}

/** Plans a BatchMatMul or _FusedMatMul call (a plain BatchMatMul has no bias, PReLU weights or activation). */
export function matMulPlan({ inputs, attrs }: OrtKernelArgs) {
  const { a, b, bias, preluActivationWeights: prelu } = inputs as Record<string, tf.TensorInfo | undefined>;
  const at = attrs as unknown as Attrs;
  const activation = at.activation ?? 'linear';
  if (!ORT_ACTIVATIONS.has(activation)) return undefined;
  const [ra, rb] = [a!.shape.length, b!.shape.length];
  const m = a!.shape[at.transposeA ? ra - 1 : ra - 2]!;
  const k = a!.shape[at.transposeA ? ra - 2 : ra - 1]!;
  const n = b!.shape[at.transposeB ? rb - 2 : rb - 1]!;
  const batch = tf.broadcast_util.assertAndGetBroadcastShape(a!.shape.slice(0, -2), b!.shape.slice(0, -2));
  const outShape = [...batch, m, n];
  return {
    flops: 2 * sizeOf(batch) * m * n * k,
    plan: () => ({
      key: JSON.stringify([a!.shape, b!.shape, bias?.shape, prelu?.shape, at.transposeA, at.transposeB, activation, at.leakyreluAlpha]),
      feeds: { a: a!, b: b!, ...(bias && { bias }), ...(prelu && { p: prelu }) },
      outShape,
      build: () => {
        const g = new OnnxGraph();
        let av = g.input('a', a!.shape);
        let bv = g.input('b', b!.shape);
        if (at.transposeA) av = g.node('Transpose', [av], { perm: swapLast(ra) });
        if (at.transposeB) bv = g.node('Transpose', [bv], { perm: swapLast(rb) });
        let y = g.node('MatMul', [av, bv]);
        if (bias) y = g.node('Add', [y, g.input('bias', bias.shape)]);
        y = activate(g, y, activation, at.leakyreluAlpha ?? 0.2, prelu && g.input('p', prelu.shape));
        g.output(y, 'y', outShape);
        return g;
      },
    }),
  };
}
