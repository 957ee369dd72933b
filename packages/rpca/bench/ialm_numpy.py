"""Reference: PCP by inexact ALM (Lin, Chen & Ma 2010, inexact_alm_rpca.m) with numpy's full SVD.

Usage: ialm_numpy.py M.f64 L0.f64 m n  -> prints one JSON line {seconds, iterations, rank, relErr}.
Runs with the machine's default numpy/BLAS configuration (OPENBLAS_* left as the environment sets them).
"""
import json
import sys
import time

import numpy as np


def ialm(D, tol=1e-7, max_iter=1000):
    m, n = D.shape
    lam = 1 / np.sqrt(max(m, n))
    norm_two = np.linalg.norm(D, 2)
    Y = D / max(norm_two, np.abs(D).max() / lam)
    mu = 1.25 / norm_two
    mu_bar = mu * 1e7
    rho = 1.5
    d_norm = np.linalg.norm(D, 'fro')
    A = np.zeros_like(D)
    E = np.zeros_like(D)
    it = 0
    svp = 0
    while it < max_iter:
        it += 1
        T = D - A + Y / mu
        E = np.maximum(T - lam / mu, 0) + np.minimum(T + lam / mu, 0)
        U, s, Vt = np.linalg.svd(D - E + Y / mu, full_matrices=False)
        svp = int((s > 1 / mu).sum())
        A = (U[:, :svp] * (s[:svp] - 1 / mu)) @ Vt[:svp]
        Z = D - A - E
        Y = Y + mu * Z
        mu = min(mu * rho, mu_bar)
        if np.linalg.norm(Z, 'fro') / d_norm < tol:
            break
    return A, E, it, svp


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
