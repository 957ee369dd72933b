"""Reference PCP by inexact ALM (Lin, Chen & Ma 2010, inexact_alm_rpca.m) with numpy's full SVD.

Used by make_alm.py (the goldens) and by the benchmark of pcp against numpy.
"""
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
