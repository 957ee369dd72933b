"""numpy peer of packages/rpca/bench/pcp.bench.mjs: PCP by inexact ALM with numpy's full SVD, the reference the
rpca goldens use (packages/rpca/test/golden/ialm_numpy.py).

Usage: numpy_ialm.py M.f64 L0.f64 m n  -> prints one JSON line {seconds, iterations, rank, relErr}.
Runs with the machine's default numpy/BLAS configuration (OPENBLAS_* left as the environment sets them).
"""
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packages", "rpca", "test", "golden"))
from ialm_numpy import ialm  # noqa: E402


def main():
    m, n = int(sys.argv[3]), int(sys.argv[4])
    D = np.fromfile(sys.argv[1], dtype='<f8').reshape(m, n)
    L0 = np.fromfile(sys.argv[2], dtype='<f8').reshape(m, n)
    t = time.perf_counter()
    A, _, it, rank = ialm(D)
    seconds = time.perf_counter() - t
    err = np.linalg.norm(A - L0) / np.linalg.norm(L0)
    print(json.dumps({'seconds': seconds, 'iterations': it, 'rank': rank, 'relErr': err}))


if __name__ == '__main__':
    main()
