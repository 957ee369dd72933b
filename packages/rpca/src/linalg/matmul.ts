import { Matrix } from 'ml-matrix';
import { toDense, toMatrix } from '../model/validate.js';
import { zeros } from './dense.js';
import { gemmNN } from './gemm.js';

/** A·B for ml-matrix matrices through the package's Float64 products (onnxruntime's dgemm when installed, else a cache-blocked JS kernel; both faster than ml-matrix's `mmul` on large products). */
export function matmul(A: Matrix | number[][], B: Matrix | number[][]): Matrix {
  const a = toDense(A, 'A');
  const b = toDense(B, 'B');
  if (a.cols !== b.rows) throw new Error(`matmul: A is ${a.rows}×${a.cols} but B is ${b.rows}×${b.cols} (A's columns must equal B's rows)`);
  return toMatrix(gemmNN(a, b, zeros(a.rows, b.cols)));
}
