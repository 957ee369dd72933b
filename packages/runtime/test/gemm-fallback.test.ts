/** Without onnxruntime-node (an optional dependency that may fail to install), the float64 GEMM reports itself unavailable. */
import { describe, expect, it, vi } from 'vitest';

vi.mock('../src/onnx/session.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../src/onnx/session.js')>()),
  loadOnnxRuntime: () => {
    throw new Error("Cannot find module 'onnxruntime-node'");
  },
}));

describe('nativeGemmF64 without onnxruntime-node', () => {
  it('nativeGemmF64 returns undefined, so callers keep their own kernel', async () => {
    const { nativeGemmF64, nativeGemmF64Available } = await import('../src/index.js');
    expect(nativeGemmF64Available()).toBe(false);
    expect(nativeGemmF64(new Float64Array(4), new Float64Array(4), 2, 2, 2)).toBeUndefined();
  });
});
