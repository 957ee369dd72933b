"""PyTorch peer of packages/core-tensor/bench/ops.bench.mjs: the same ops, timed the same way (best of N after warm-up).

Prints one JSON object: {"config": ..., "peak_gflops": ..., "ops": {name: ms}}. Run by the harness with
LD_LIBRARY_PATH pointing at OpenBLAS when it is set up; see benchmarks/README.md for the fair configuration.
"""
import json
import os
import sys

import torch

from torch_timing import step_times_ms  # harness.mjs puts peers/ on PYTHONPATH

THREADS = 2


# Optional argv <warmup> <reps>: the same counts for every op (the suite's quick mode), instead of each op's own.
COUNTS = tuple(int(a) for a in sys.argv[1:3]) if len(sys.argv) > 2 else None


def best_ms(fn, warmup, reps):
    """Best of `reps` after `warmup`, as ops.bench.mjs times tfjs (the VM's timings are bimodal)."""
    return min(step_times_ms(fn, *(COUNTS or (warmup, reps))))


def main():
    torch.set_num_threads(THREADS)
    torch.manual_seed(0)
    ops = {}

    # The machine's fp32 ceiling: the best sgemm rate over two sizes (one size alone can hit a cache or
    # threading cliff: 2048³ ran at 132 GFLOP/s here while 1024³ ran at 206).
    peak = 0.0
    for n in (1024, 2048):
        a, b = torch.randn(n, n), torch.randn(n, n)
        best = best_ms(lambda: torch.mm(a, b), 2, 7)
        peak = max(peak, 2 * n**3 / best / 1e6)

    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    ops["matmul 1024³"] = best_ms(lambda: torch.mm(a, b), 2, 15)

    # NHWC in tfjs ↔ channels_last here, so oneDNN runs its fast path.
    x = torch.randn(16, 64, 56, 56).to(memory_format=torch.channels_last)
    conv = torch.nn.Conv2d(64, 64, 3, padding=1, bias=False).to(memory_format=torch.channels_last)
    with torch.no_grad():
        ops["conv2d forward 16×56×56×64→64 3×3"] = best_ms(lambda: conv(x), 2, 15)

    xg = x.clone().requires_grad_(True)
    dy = torch.randn(16, 64, 56, 56).to(memory_format=torch.channels_last)

    def conv_step():
        conv.zero_grad(set_to_none=True)
        xg.grad = None
        (conv(xg) * dy).sum().backward()

    ops["conv2d training step 16×56×56×64→64 3×3"] = best_ms(conv_step, 2, 11)

    gru = torch.nn.GRU(512, 128, batch_first=True)
    seq = torch.randn(8, 80, 512)

    def gru_step():
        gru.zero_grad(set_to_none=True)
        out, _ = gru(seq)
        out[:, -1].sum().backward()

    ops["GRU fwd+bwd 8×80×512→128"] = best_ms(gru_step, 2, 11)

    blas = "OpenBLAS (pthread)" if "openblas" in os.environ.get("LD_LIBRARY_PATH", "") else "Debian default BLAS"
    config = f"PyTorch {torch.__version__}, {THREADS} threads, channels_last convs (oneDNN), {blas}"
    json.dump({"config": config, "peak_gflops": peak, "ops": ops}, sys.stdout)


if __name__ == "__main__":
    main()
