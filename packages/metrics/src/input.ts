/**
 * Reading metric inputs: number arrays, typed arrays, nested arrays or tensors become one float64 buffer
 * plus a shape, so every metric computes in double precision on the host and leaves no tensors behind.
 */

/** A nested array of numbers (e.g. an H×W×C image as `number[][][]`). */
export type NestedNumbers = number | ArrayLike<number> | readonly NestedNumbers[];

/** A tensor as metrics read it: any object with a shape and synchronous data (a tfjs `Tensor` is one). */
export interface TensorLike {
  readonly shape: readonly number[];
  dataSync(): ArrayLike<number>;
}

/** What metrics accept: a tensor, a (typed) array of numbers, or a nested array of numbers. */
export type MetricInput = TensorLike | NestedNumbers;

function isTensorLike(x: MetricInput): x is TensorLike {
  return typeof x === 'object' && x !== null && 'dataSync' in x && typeof (x as TensorLike).dataSync === 'function';
}

/** A dense float64 copy of a metric input. */
export interface Dense {
  data: Float64Array;
  shape: number[];
}

/** An array or typed array (the only containers of numbers a metric reads); anything else is an error. */
function isArrayOf(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/** What a value is, for an error message. */
function kindOf(x: unknown): string {
  return x === null ? 'null' : typeof x === 'string' ? `the string '${x}'` : typeof x;
}

function shapeOf(x: unknown, name: string): number[] {
  if (typeof x === 'number') return [];
  if (!isArrayOf(x)) throw new Error(`${name}: expected numbers or (nested) arrays of numbers, got ${kindOf(x)}`);
  const shape = [x.length];
  if (x.length > 0 && typeof x[0] !== 'number') shape.push(...shapeOf(x[0], `${name}[0]`));
  return shape;
}

function flatten(x: NestedNumbers, shape: number[], depth: number, out: Float64Array, at: { i: number }, name: string): void {
  if (typeof x === 'number') {
    out[at.i++] = x;
    return;
  }
  if (x.length !== shape[depth]) {
    throw new Error(`${name}: ragged nested array (length ${x.length} at depth ${depth}, expected ${shape[depth]})`);
  }
  for (let k = 0; k < x.length; k++) {
    const v = x[k] as NestedNumbers;
    if (typeof v !== 'number' && !isArrayOf(v)) throw new Error(`${name}: expected numbers or (nested) arrays of numbers, got ${kindOf(v)} at depth ${depth + 1}`);
    if ((typeof v === 'number') !== (depth === shape.length - 1)) {
      throw new Error(`${name}: ragged nested array (mixed numbers and arrays at depth ${depth + 1})`);
    }
    flatten(v, shape, depth + 1, out, at, name);
  }
}

/** Copies `x` into float64 and checks every value is finite; errors name the argument `name`. */
export function toDense(x: MetricInput, name: string): Dense {
  let dense: Dense;
  if (isTensorLike(x)) {
    dense = { data: Float64Array.from(x.dataSync()), shape: x.shape.slice() };
  } else {
    const shape = shapeOf(x, name);
    const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
    flatten(x, shape, 0, data, { i: 0 }, name);
    dense = { data, shape };
  }
  for (let i = 0; i < dense.data.length; i++) {
    if (!Number.isFinite(dense.data[i])) throw new Error(`${name}[${i}] is ${dense.data[i]}: expected finite numbers`);
  }
  return dense;
}

/** Reads `x` as a flat vector of all its values (any shape). */
export function toVector(x: MetricInput, name: string): Float64Array {
  return toDense(x, name).data;
}

/** Reads two inputs that must have the same number of values, at least `min`. */
export function toPair(a: MetricInput, b: MetricInput, names: [string, string], min = 1): [Float64Array, Float64Array] {
  const x = toVector(a, names[0]);
  const y = toVector(b, names[1]);
  if (x.length !== y.length) {
    throw new Error(`${names[0]} has ${x.length} values but ${names[1]} has ${y.length}: expected the same length`);
  }
  if (x.length < min) throw new Error(`${names[0]}: expected at least ${min} value(s), got ${x.length}`);
  return [x, y];
}

/** The mean of a vector. */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}
