"""Golden file for test/optimality.test.ts: the optima of the convex programs on issue #12's 40x30 problem.

The problem: L0 of rank 3 (N(0, 1/n) factors), 25 % of entries corrupted by +-4, 15 % of entries hidden,
a prior N = L0 + 20 % noise, features X = [A, 3 random columns], Y = [B, 3 random columns], alpha = 0.7.
Every model is, after eliminating S = M - L on the observed set Omega (S is free off Omega),

    min_L  F(L) = ||L||_* + alpha ||L - N||_* + lambda ||P_Omega(M - L)||_1,   L in V,

with V = {X H Y^T} for the feature models (X, Y orthonormalised) and all of R^{m x n} otherwise.

Two solvers that share nothing with the package's ALM (no S/K splitting, no mu continuation):
- consensus ADMM (Boyd et al. 2011, section 7.1): one copy of L per term, each updated by its own prox, and a
  consensus variable projected onto V; penalty by residual balancing, run until primal and dual residuals are
  below 1e-11 relative;
- Chambolle-Pock primal-dual (PDHG) on the same sum, with the conjugates' projections (spectral-norm balls,
  a box), run for a fixed number of steps.
The script asserts that the two agree (objective to 1e-7 relative; the tests need 1e-4) before writing the golden.
Run: /usr/bin/python3 test/golden/make_optimum.py  (writes test/golden/optimum.json; ~1 minute)
"""
import json
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))


def svd_shrink(Z, tau):
    U, s, Vt = np.linalg.svd(Z, full_matrices=False)
    return (U * np.maximum(s - tau, 0)) @ Vt


def spectral_clip(Z, r):
    """Projection onto {||Z||_2 <= r}."""
    U, s, Vt = np.linalg.svd(Z, full_matrices=False)
    return (U * np.minimum(s, r)) @ Vt


def nuclear(Z):
    return np.linalg.svd(Z, compute_uv=False).sum()


class Problem:
    def __init__(self, M, mask, lam, N=None, alpha=0.0, X=None, Y=None):
        self.M, self.mask, self.lam, self.N, self.alpha = M, mask, lam, N, alpha
        self.Qx = None if X is None else np.linalg.qr(X)[0]
        self.Qy = None if Y is None else np.linalg.qr(Y)[0]

    def project(self, Z):
        """Orthogonal projection onto V."""
        if self.Qx is None:
            return Z
        return self.Qx @ (self.Qx.T @ Z @ self.Qy) @ self.Qy.T

    def objective(self, L):
        f = nuclear(L) + self.lam * np.abs(self.mask * (self.M - L)).sum()
        if self.N is not None:
            f += self.alpha * nuclear(L - self.N)
        return f

    def proxes(self):
        """prox_{t f_i} of each term."""
        out = [lambda Z, t: svd_shrink(Z, t)]
        if self.N is not None:
            out.append(lambda Z, t: self.N + svd_shrink(Z - self.N, t * self.alpha))

        def l1(Z, t):
            # argmin_L t*lam*|M - L| on Omega, plus 1/2 (L - Z)^2: L = M - soft(M - Z, t*lam) there, Z elsewhere.
            W = self.M - Z
            soft = np.sign(W) * np.maximum(np.abs(W) - t * self.lam, 0)
            return np.where(self.mask == 1, self.M - soft, Z)

        out.append(l1)
        return out


def consensus_admm(p, rho=1.0, tol=1e-11, max_iter=100000):
    proxes = p.proxes()
    k = len(proxes)
    m, n = p.M.shape
    Z = np.zeros((m, n))
    Ls = [np.zeros((m, n)) for _ in range(k)]
    Us = [np.zeros((m, n)) for _ in range(k)]
    for it in range(1, max_iter + 1):
        Ls = [prox(Z - U, 1 / rho) for prox, U in zip(proxes, Us)]
        Z_old = Z
        Z = p.project(sum(L + U for L, U in zip(Ls, Us)) / k)
        Us = [U + L - Z for L, U in zip(Ls, Us)]
        r = np.sqrt(sum(np.linalg.norm(L - Z) ** 2 for L in Ls))
        s = rho * np.sqrt(k) * np.linalg.norm(Z - Z_old)
        scale = max(np.linalg.norm(Z), 1)
        if r < tol * scale and s < tol * scale:
            return Z, it
        # Residual balancing (Boyd et al. 2011, section 3.4.1); the scaled duals U = Y/rho are rescaled with rho.
        if it % 100 == 0 and (r > 10 * s or s > 10 * r):
            f = 2.0 if r > s else 0.5
            rho *= f
            Us = [U / f for U in Us]
    raise RuntimeError(f'consensus ADMM did not reach {tol} in {max_iter} iterations (r={r:.2e}, s={s:.2e})')


def pdhg(p, iters=60000):
    """min_{L in V} sum_i f_i(L) by Chambolle-Pock with K = [I; I; I] restricted to V (||K||^2 = k)."""
    m, n = p.M.shape
    k = 2 + (p.N is not None)
    tau = sigma = 0.99 / np.sqrt(k)

    def dual_prox(i, Z):
        # prox_{sigma f_i*}(Z) = Z - sigma prox_{f_i/sigma}(Z/sigma) (Moreau), in closed form:
        if i == 0:
            return spectral_clip(Z, 1.0)
        if i == 1 and p.N is not None:
            return spectral_clip(Z - sigma * p.N, p.alpha)
        W = Z - sigma * p.M  # f* of lam|P_Omega(M - .)|_1 is <Z, M> + box on Omega, zero off Omega
        return np.where(p.mask == 1, np.clip(W, -p.lam, p.lam), 0.0)

    L = np.zeros((m, n))
    Lbar = L.copy()
    Zs = [np.zeros((m, n)) for _ in range(k)]
    for _ in range(iters):
        Zs = [dual_prox(i, Z + sigma * Lbar) for i, Z in enumerate(Zs)]
        L_new = p.project(L - tau * sum(Zs))
        Lbar = 2 * L_new - L
        L = L_new
    return L


def main():
    rng = np.random.default_rng(12)
    m, n, r, alpha = 40, 30, 3, 0.7
    A = rng.normal(0, 1 / np.sqrt(n), (m, r))
    B = rng.normal(0, 1 / np.sqrt(n), (n, r))
    L0 = A @ B.T
    S0 = (rng.random((m, n)) < 0.25) * rng.choice([-4.0, 4.0], (m, n))
    M = L0 + S0
    mask = (rng.random((m, n)) >= 0.15).astype(float)
    E = rng.normal(size=(m, n))
    N = L0 + 0.2 * np.linalg.norm(L0) * E / np.linalg.norm(E)
    X = np.hstack([A, rng.normal(size=(m, 3))])
    Y = np.hstack([B, rng.normal(size=(n, 3))])
    lam = 1 / np.sqrt(max(m, n))
    full = np.ones((m, n))
    lam_observed = 1 / np.sqrt(mask.mean() * max(m, n))

    cases = {
        'pcp': Problem(M, full, lam),
        'pcpMasked': Problem(M, mask, lam),
        'pcpMaskedObservedLambda': Problem(M, mask, lam_observed),
        'pcpf': Problem(M, full, lam, X=X, Y=Y),
        'pcpfMasked': Problem(M, mask, lam, X=X, Y=Y),
        'pcps': Problem(M, full, lam, N=N, alpha=alpha),
        'pcpsMasked': Problem(M, mask, lam, N=N, alpha=alpha),
        'pcpsf': Problem(M, full, lam, N=N, alpha=alpha, X=X, Y=Y),
        'pcpsfMasked': Problem(M, mask, lam, N=N, alpha=alpha, X=X, Y=Y),
    }
    out = {'M': M.tolist(), 'mask': mask.tolist(), 'N': N.tolist(), 'X': X.tolist(), 'Y': Y.tolist(),
           'L0': L0.tolist(), 'alpha': alpha, 'lambda': lam, 'lambdaObserved': lam_observed, 'cases': {}}
    for name, p in cases.items():
        L, its = consensus_admm(p)
        f = p.objective(L)
        f_pd = p.objective(pdhg(p))
        gap = abs(f - f_pd) / f
        print(f'{name}: F* = {f:.10f} (consensus ADMM, {its} iterations), PDHG {f_pd:.10f}, rel. diff {gap:.1e}, '
              f'rank {np.linalg.matrix_rank(L, 1e-6)}')
        assert gap < 1e-7, name
        out['cases'][name] = {'objective': f, 'L': L.tolist(), 'iterations': its}
    with open(os.path.join(here, 'optimum.json'), 'w') as fh:
        json.dump(out, fh)


if __name__ == '__main__':
    main()
