/**
 * Loads the weights of an ONNX IR-ResNet (insightface's released `w600k_r50.onnx` family, or any
 * `torch.onnx.export` of the arcface_torch layout) into {@link iresnet}. The graph's parametric nodes are
 * matched in execution order to our layers (PyTorch's forward order: stem, then per unit bn1, conv1, bn2,
 * prelu, conv2, bn3, shortcut, then head BN, FC, BN). Convolutions with a bias are batch norms folded in by
 * the exporter: the bias goes into the following BN as β with γ = 1, μ = 0, σ² = 1 − ε.
 */
import { tf } from '@facelab/core-tensor';
import { iresnetUnitName } from '../model/iresnet.js';
import { parseOnnxModel, type ParsedOnnxModel, type OnnxNode, type OnnxTensor } from '@facelab/runtime';

/** What {@link loadOnnxWeights} did. */
export interface OnnxLoadReport {
  /** Our layers that received weights. */
  layers: number;
  /** Convolutions whose batch norm was folded in by the exporter. */
  foldedBatchNorms: number;
}

type Slot = { kind: 'conv' | 'bn' | 'prelu' | 'fc'; layer: string };

/** Our parametric layers in PyTorch's forward order. */
function slots(model: tf.LayersModel): Slot[] {
  const has = (name: string) => model.layers.some((l) => l.name === name);
  const out: Slot[] = [
    { kind: 'conv', layer: 'stem_conv' },
    { kind: 'bn', layer: 'stem_bn' },
    { kind: 'prelu', layer: 'stem_prelu' },
  ];
  for (let s = 1; s <= 4; s++) {
    for (let u = 0; has(`${iresnetUnitName(s, u)}_bn0`); u++) {
      const n = iresnetUnitName(s, u);
      out.push(
        { kind: 'bn', layer: `${n}_bn0` },
        { kind: 'conv', layer: `${n}_1_conv` },
        { kind: 'bn', layer: `${n}_1_bn` },
        { kind: 'prelu', layer: `${n}_1_prelu` },
        { kind: 'conv', layer: `${n}_2_conv` },
        { kind: 'bn', layer: `${n}_2_bn` },
      );
      if (has(`${n}_short_conv`)) out.push({ kind: 'conv', layer: `${n}_short_conv` }, { kind: 'bn', layer: `${n}_short_bn` });
    }
  }
  out.push({ kind: 'bn', layer: 'head_bn' }, { kind: 'fc', layer: 'fc' }, { kind: 'bn', layer: 'embedding_bn' });
  return out;
}

const PARAMETRIC = new Set(['Conv', 'BatchNormalization', 'PRelu', 'Gemm', 'MatMul']);
const EXPECTED_OP: Record<Slot['kind'], string> = {
  conv: 'Conv',
  bn: 'BatchNormalization',
  prelu: 'PRelu',
  fc: 'Gemm',
};

/**
 * Copies the weights of an ONNX IR-ResNet (`bytes` of the .onnx file) into `model`, an {@link iresnet} of the
 * same architecture. Handles folded and explicit batch norms, PReLU slopes of shape [C] or [C,1,1], Gemm or
 * MatMul+Add for the FC (reordering PyTorch's C·H·W flatten to our H·W·C) and the final BN's γ (kept fixed
 * in training). Any mismatch is an error naming the ONNX node and our layer. Note insightface's w600k models
 * expect (x − 127.5)/127.5: build the model with `inputStd: 127.5` for them.
 */
export function loadOnnxWeights(model: tf.LayersModel, bytes: Uint8Array, source = 'ONNX model'): OnnxLoadReport {
  const graph = parseOnnxModel(bytes, source);
  const ops = graph.nodes.filter((n) => PARAMETRIC.has(n.opType));
  const constant = (name: string, node: OnnxNode) => resolveConstant(graph, name, node, source);
  const layer = (name: string) => {
    try {
      return model.getLayer(name);
    } catch {
      throw new Error(`loadOnnxWeights: model has no layer '${name}': is it an iresnet()?`);
    }
  };
  const plan = slots(model);
  const assignments: { layer: string; values: Record<string, tf.Tensor> }[] = [];
  const set = (layerName: string, values: Record<string, Float32Array | tf.Tensor>, where: string) => {
    // Tensors handed in belong to `assignments` at once, so that every error path disposes them.
    const entry = { layer: layerName, values: {} as Record<string, tf.Tensor> };
    assignments.push(entry);
    for (const [k, v] of Object.entries(values)) if (v instanceof tf.Tensor) entry.values[k] = v;
    for (const w of layer(layerName).weights) {
      const key = w.originalName.split('/').pop()!;
      const v = values[key];
      if (v === undefined) throw new Error(`${where}: no value for weight '${key}' of layer '${layerName}'`);
      const shape = w.shape as number[];
      const ok = v instanceof tf.Tensor ? v.shape.join() === shape.join() : v.length === shape.reduce((x, y) => x * y, 1);
      if (!ok) {
        const got = v instanceof tf.Tensor ? `shape [${v.shape}]` : `${v.length} values`;
        throw new Error(`${where}: weight '${key}' has ${got}, the layer expects [${shape}]`);
      }
      if (!(v instanceof tf.Tensor)) entry.values[key] = tf.tensor(v, shape, 'float32');
    }
  };
  let folded = 0;
  let i = 0;
  try {
    for (let k = 0; k < plan.length; k++) {
      const slot = plan[k]!;
      const node = ops[i];
      const where = `${source}: node '${node?.name ?? '(end of graph)'}' (${node?.opType ?? 'none'}) for layer '${slot.layer}'`;
      const expected = slot.kind === 'fc' && node?.opType === 'MatMul' ? 'MatMul' : EXPECTED_OP[slot.kind];
      if (node === undefined || node.opType !== expected) {
        throw new Error(`${where}: expected ${EXPECTED_OP[slot.kind]}; the graph's layout differs from this iresnet`);
      }
      i++;
      switch (slot.kind) {
        case 'conv': {
          const w = constant(node.inputs[1]!, node);
          if (w.dims.length !== 4) throw new Error(`${where}: convolution weight must be 4-D, got [${w.dims}]`);
          // ONNX [Cout, Cin, KH, KW] → tfjs [KH, KW, Cin, Cout].
          set(slot.layer, { kernel: tf.tidy(() => tf.tensor(w.data, w.dims, 'float32').transpose([2, 3, 1, 0])) }, where);
          if (node.inputs[2] !== undefined && node.inputs[2] !== '') {
            const next = plan[k + 1];
            if (next?.kind !== 'bn') throw new Error(`${where}: a convolution bias has no batch norm to go into`);
            const bias = constant(node.inputs[2], node).data;
            const eps = layer(next.layer).getConfig().epsilon as number;
            const c = bias.length;
            const [ones, zeros] = [new Float32Array(c).fill(1), new Float32Array(c)];
            set(next.layer, { gamma: ones, beta: bias, moving_mean: zeros, moving_variance: new Float32Array(c).fill(1 - eps) }, where);
            folded++;
            k++;
          }
          break;
        }
        case 'bn': {
          const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((j) => constant(node.inputs[j]!, node).data);
          const eps = layer(slot.layer).getConfig().epsilon as number;
          const onnxEps = typeof node.attributes.epsilon === 'number' ? node.attributes.epsilon : 1e-5;
          // Same σ² + ε whatever the two epsilons are.
          const v = variance!.map((x) => Math.max(0, x + onnxEps - eps));
          set(slot.layer, { gamma: gamma!, beta: beta!, moving_mean: mean!, moving_variance: v }, where);
          break;
        }
        case 'prelu':
          set(slot.layer, { alpha: constant(node.inputs[1]!, node).data }, where);
          break;
        case 'fc': {
          const { kernel, bias } = fcWeights(graph, node, constant, where);
          const [inDim, outDim] = layer(slot.layer).weights[0]!.shape as [number, number];
          const flatInput = model.getLayer('head_flatten').input as tf.SymbolicTensor;
          const [, h, w, c] = flatInput.shape as number[];
          if (kernel.length !== inDim * outDim) {
            throw new Error(`${where}: FC weight has ${kernel.length} values, the layer expects ${inDim}×${outDim}`);
          }
          // kernel is [out, C·H·W] (PyTorch flatten of NCHW); ours is [H·W·C, out].
          const k2 = tf.tidy(() => tf.tensor(kernel, [outDim, c!, h!, w!], 'float32').transpose([2, 3, 1, 0]).reshape([inDim, outDim]));
          set(slot.layer, { kernel: k2, bias }, where);
          break;
        }
      }
    }
    if (i < ops.length) {
      const extra = ops[i]!;
      throw new Error(`${source}: node '${extra.name}' (${extra.opType}) and ${ops.length - i - 1} more have no layer in this iresnet`);
    }
  } catch (err) {
    for (const a of assignments) tf.dispose(Object.values(a.values));
    throw err;
  }
  for (const a of assignments) {
    const target = model.getLayer(a.layer);
    target.setWeights(target.weights.map((w) => a.values[w.originalName.split('/').pop()!]!));
    tf.dispose(Object.values(a.values));
  }
  return { layers: assignments.length, foldedBatchNorms: folded };
}

/** The FC weight as [out, in] and its bias, from Gemm (transB 0/1) or MatMul followed by an Add. */
function fcWeights(
  graph: ParsedOnnxModel,
  node: OnnxNode,
  constant: (name: string, node: OnnxNode) => OnnxTensor,
  where: string,
): { kernel: Float32Array; bias: Float32Array } {
  const w = constant(node.inputs[1]!, node);
  if (w.dims.length !== 2) throw new Error(`${where}: FC weight must be 2-D, got [${w.dims}]`);
  const transposed = node.opType === 'Gemm' && node.attributes.transB === 1;
  const [rows, cols] = w.dims as [number, number];
  // Bring to [out, in].
  const kernel = transposed ? w.data : transpose2d(w.data, rows, cols);
  let bias: OnnxTensor;
  if (node.opType === 'Gemm') {
    if (node.inputs[2] === undefined) throw new Error(`${where}: Gemm without bias`);
    bias = constant(node.inputs[2], node);
  } else {
    const add = graph.nodes.find((n) => n.opType === 'Add' && n.inputs.includes(node.outputs[0]!));
    const name = add?.inputs.find((x) => x !== node.outputs[0]);
    if (add === undefined || name === undefined) throw new Error(`${where}: MatMul without a bias Add`);
    bias = constant(name, add);
  }
  return { kernel, bias: bias.data };
}

function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/** A constant input: an initializer, or one reached through shape-only ops (Unsqueeze, Reshape, ...). */
function resolveConstant(graph: ParsedOnnxModel, name: string, node: OnnxNode, source: string): OnnxTensor {
  for (let depth = 0; depth < 8; depth++) {
    const t = graph.tensors.get(name);
    if (t !== undefined) return t;
    const producer = graph.nodes.find((n) => n.outputs.includes(name));
    if (producer === undefined || !['Unsqueeze', 'Reshape', 'Squeeze', 'Identity', 'Flatten'].includes(producer.opType)) break;
    name = producer.inputs[0]!;
  }
  throw new Error(`${source}: input '${name}' of node '${node.name}' (${node.opType}) is not a constant weight`);
}
