"""Golden values for verifyEmbeddings' default protocol (test/verify.test.ts): insightface's evaluate() on
L2-normalised float32 embeddings, by the numpy/scipy port of calculate_roc / calculate_val in
packages/metrics/test/golden/insightface_verification.py. Run: /usr/bin/python3 make_verification_golden.py
(writes verification-golden.json)."""
import json
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, '..', '..', '..', 'metrics', 'test', 'golden'))
from insightface_verification import evaluate, squared_distances  # noqa: E402

rng = np.random.default_rng(20261204)
pairs, dim = 300, 8
issame = rng.random(pairs) < 0.5
a = rng.normal(size=(pairs, dim))
b = np.where(issame[:, None], a + rng.normal(scale=0.9, size=(pairs, dim)), rng.normal(size=(pairs, dim)))
emb = np.empty((2 * pairs, dim))
emb[0::2], emb[1::2] = a, b
emb = (emb / np.linalg.norm(emb, axis=1, keepdims=True)).astype(np.float32)  # as embed() returns them
dist = squared_distances(emb.astype(np.float64))
out = {'embeddings': emb.tolist(), 'issame': issame.tolist(), **evaluate(dist, issame, 10, 1e-3)}
with open(os.path.join(here, 'verification-golden.json'), 'w') as f:
    json.dump(out, f)
print(out['accuracy'], out['std'], out['tar'])
