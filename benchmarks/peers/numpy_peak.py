"""numpy peer of packages/core-tensor/bench/ops.bench.mjs when torch is missing: the fp32 sgemm 2048³ rate.

Prints one JSON line {"peak_gflops": ...}: the median of 5 timed products after one warm-up."""
import json
import time

import numpy as np

a = np.random.rand(2048, 2048).astype(np.float32)
a @ a
times = []
for _ in range(5):
    t0 = time.perf_counter()
    a @ a
    times.append(time.perf_counter() - t0)
print(json.dumps({"peak_gflops": 2 * 2048**3 / sorted(times)[2] / 1e9}))
