"""Golden file for test/golden.test.ts: numpy references of the ALM iterations (full LAPACK SVD).

- pcp: Lin, Chen & Ma's inexact ALM, imported from ialm_numpy.py (a transcription of inexact_alm_rpca.m).
- pcps with a mask: the ADMM derived in the package README (splitting K = L - N), written independently here.
Run: /usr/bin/python3 test/golden/make_alm.py  (writes test/golden/alm.json)
"""
import json
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from ialm_numpy import ialm  # noqa: E402


def svt(X, tau):
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    r = int((s > tau).sum())
    return (U[:, :r] * (s[:r] - tau)) @ Vt[:r], r


def pcps_admm(M, N, mask, alpha, tol=1e-7, max_iter=1000):
    m, n = M.shape
    lam = 1 / np.sqrt(max(m, n))
    D = M * mask
    norm_two = np.linalg.norm(D, 2)
    Y1 = D / max(norm_two, np.abs(D).max() / lam)
    Y2 = np.zeros_like(D)
    mu = 1.25 / norm_two
    mu_bar = mu * 1e7
    d_norm = np.linalg.norm(D)
    L = np.zeros_like(D)
    S = np.zeros_like(D)
    K = np.zeros_like(D)
    it = 0
    history = []
    while it < max_iter:
        it += 1
        T = D - L + Y1 / mu
        shrunk = np.sign(T) * np.maximum(np.abs(T) - lam / mu, 0)
        S = np.where(mask == 1, shrunk, T)
        K, _ = svt(L - N + Y2 / mu, alpha / mu)
        A = D - S + Y1 / mu
        B = N + K - Y2 / mu
        L, rank = svt((A + B) / 2, 1 / (2 * mu))
        Z1 = D - L - S
        Z2 = L - N - K
        Y1 = Y1 + mu * Z1
        Y2 = Y2 + mu * Z2
        res = max(np.linalg.norm(Z1), np.linalg.norm(Z2)) / d_norm
        history.append(res)
        mu = min(mu * 1.5, mu_bar)
        if res < tol:
            break
    return L, S * mask, it, rank, history


def main():
    rng = np.random.default_rng(2024)
    m, n, r = 40, 30, 2
    L0 = rng.normal(0, 1 / np.sqrt(n), (m, r)) @ rng.normal(0, 1 / np.sqrt(n), (r, n))
    S0 = (rng.random((m, n)) < 0.08) * rng.choice([-1.0, 1.0], (m, n))
    M = L0 + S0
    A, E, it, rank = ialm(M)
    mask = (rng.random((m, n)) >= 0.15).astype(float)
    N = L0 + 0.05 * rng.normal(size=(m, n)) * np.linalg.norm(L0) / np.sqrt(m * n)
    Ls, Ss, its, ranks, hist = pcps_admm(M, N, mask, alpha=0.7)
    out = {
        'M': M.tolist(), 'L0': L0.tolist(),
        'pcp': {'L': A.tolist(), 'S': E.tolist(), 'iterations': it, 'rank': rank},
        'pcps': {'N': N.tolist(), 'mask': mask.tolist(), 'alpha': 0.7, 'L': Ls.tolist(), 'S': Ss.tolist(),
                 'iterations': its, 'rank': ranks, 'history': hist},
    }
    with open(os.path.join(here, 'alm.json'), 'w') as f:
        json.dump(out, f)


if __name__ == '__main__':
    main()
