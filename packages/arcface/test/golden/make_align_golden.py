"""Golden matrices for alignFace (test/align.test.ts): insightface's estimate_norm (python-package/insightface/
utils/face_align.py) — the 5-point template held as float32, scaled by size/112 when size is a multiple of 112,
else by size/128 with an x-shift of 8·ratio when size is a multiple of 128 — and the similarity fitted by
Umeyama's least squares (PAMI 1991, eqs. 38-43, as scikit-image's SimilarityTransform.estimate), written here
with numpy. Run: /usr/bin/python3 make_align_golden.py (writes align-golden.json).

`matrix`: Umeyama in float64 on the float32 template (insightface's numbers without float32 round-off in the
fit). `matrixFloat32`: the same with float32 landmarks, every step in float32 as scikit-image computes on
float32 input (insightface's detectors return float32 keypoints)."""
import json
import os

import numpy as np

ARCFACE_DST = np.array([[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366],
                        [41.5493, 92.3655], [70.7299, 92.2041]], dtype=np.float32)


def template(image_size):
    assert image_size % 112 == 0 or image_size % 128 == 0
    if image_size % 112 == 0:
        ratio, diff_x = float(image_size) / 112.0, 0
    else:
        ratio = float(image_size) / 128.0
        diff_x = 8.0 * ratio
    dst = ARCFACE_DST * ratio  # float32
    dst[:, 0] += diff_x
    return dst


def umeyama(src, dst):
    """Similarity (rotation, isotropic scale, translation) minimising Σ‖dst − T(src)‖², in the inputs' dtype."""
    num, dim = src.shape
    src_mean, dst_mean = src.mean(axis=0), dst.mean(axis=0)
    src_demean, dst_demean = src - src_mean, dst - dst_mean
    A = dst_demean.T @ src_demean / num  # eq. 38
    d = np.ones(dim)
    if np.linalg.det(A) < 0:  # eq. 39
        d[-1] = -1
    U, S, V = np.linalg.svd(A)
    T = np.eye(dim + 1)
    T[:dim, :dim] = U @ np.diag(d) @ V  # eq. 40 (A has full rank here)
    scale = 1.0 / src_demean.var(axis=0).sum() * (S @ d)  # eq. 42
    T[:dim, dim] = dst_mean - scale * (T[:dim, :dim] @ src_mean.T)  # eq. 41
    T[:dim, :dim] *= scale
    return T[:2, :]


rng = np.random.default_rng(20261205)
cases = []
for size in [112, 128, 224, 256, 384]:
    for k in range(3):
        # A face of the template's shape in a photo: rotated, scaled, shifted, each point jittered; float32 values.
        angle, s = rng.uniform(-0.5, 0.5), rng.uniform(0.8, 3.0)
        R = s * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        lmk = (ARCFACE_DST.astype(np.float64) @ R.T + rng.uniform(20, 300, 2) + rng.normal(0, 2, (5, 2))).astype(np.float32)
        dst = template(size)
        cases.append({
            'size': size, 'landmarks': lmk.astype(np.float64).tolist(), 'template': dst.astype(np.float64).tolist(),
            'matrix': umeyama(lmk.astype(np.float64), dst.astype(np.float64)).tolist(),
            'matrixFloat32': umeyama(lmk, dst).tolist(),
        })

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'align-golden.json'), 'w') as f:
    json.dump({'cases': cases}, f)
print(max(np.abs(np.array(c['matrix']) - np.array(c['matrixFloat32'])).max() for c in cases))
