"""Golden values for insightfaceAccuracy / insightfaceTarAtFar (test/insightface-verification.test.ts) from the
port of insightface's calculate_roc / calculate_val in insightface_verification.py.
Run: /usr/bin/python3 make_insightface_verification.py (writes insightface_verification.json)."""
import json
import os

import numpy as np
from scipy.interpolate import interp1d

from insightface_verification import evaluate, interp1d_slinear

rng = np.random.default_rng(20261203)

# The BSpline stand-in equals scipy's interp1d(kind='slinear') wherever current scipy accepts the input (no
# repeated x).
x = np.sort(rng.random(50))
y = rng.random(50)
for q in [x[0], x[7], 0.5 * (x[3] + x[4]), x[-1]]:
    assert abs(interp1d_slinear(x, y, q) - float(interp1d(x, y, kind='slinear')(q))) < 1e-15


def pairs(n, p_same, same_mu, diff_mu, sd):
    issame = rng.random(n) < p_same
    dist = np.where(issame, rng.normal(same_mu, sd, n), rng.normal(diff_mu, sd, n))
    return np.clip(dist, 0, 4), issame


def case(name, dist, issame, folds, far=1e-3):
    return {'name': name, 'distances': dist.tolist(), 'issame': issame.tolist(), 'folds': folds, 'farTarget': far,
            **evaluate(dist, issame, folds, far)}


cases = []
d, s = pairs(1200, 0.5, 1.0, 1.6, 0.25)
cases.append(case('1200 pairs, 10 folds', d, s, 10))
d, s = pairs(403, 0.4, 0.9, 1.4, 0.3)
cases.append(case('403 pairs (uneven folds), FAR 1e-2', d, s, 10, 1e-2))
d, s = pairs(57, 0.5, 0.9, 1.3, 0.3)
cases.append(case('57 pairs, 5 folds, distances on the 0.01 grid (strict <)', np.round(d, 2), s, 5))

# Two folds of 1000 different + 100 same pairs each: FAR on the training fold reaches 1e-3 exactly.
def exact_far_half(n_close):
    diff = np.concatenate([rng.uniform(0.2, 1.0, n_close), rng.uniform(1.5, 3.9, 1000 - n_close)])
    same = rng.uniform(0.1, 1.2, 100)
    dist = np.concatenate([diff, same])
    issame = np.concatenate([np.zeros(1000, bool), np.ones(100, bool)])
    order = rng.permutation(1100)
    return dist[order], issame[order]

halves = [exact_far_half(5), exact_far_half(3)]
cases.append(case('2 folds, FAR hits 1e-3 exactly', np.concatenate([h[0] for h in halves]),
                  np.concatenate([h[1] for h in halves]), 2))

# Every different pair but one at distance >= 4: the largest training FAR equals 1e-3 exactly, where the
# slinear spline's last knot interval is degenerate (repeated FAR); de Boor's recursion gives 0 there.
def nan_half():
    diff = np.concatenate([[0.5], np.full(999, 4.0)])
    dist = np.concatenate([diff, rng.uniform(0.1, 1.2, 100)])
    issame = np.concatenate([np.zeros(1000, bool), np.ones(100, bool)])
    return dist, issame

halves = [nan_half(), nan_half()]
cases.append(case('2 folds, largest training FAR = target (degenerate interval: threshold 0)', np.concatenate([h[0] for h in halves]),
                  np.concatenate([h[1] for h in halves]), 2))
# No threshold reaches the target FAR: threshold 0.
d = np.tile([4.0, 0.5], 50)
s = np.tile([False, True], 50)
cases.append(case('target FAR unreachable (threshold 0)', d, s, 10))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'insightface_verification.json')
with open(out, 'w') as f:
    json.dump({'cases': cases}, f)
for c in cases:
    print(c['name'], c['accuracy'], c['tar'], c['valThresholds'][:3])
