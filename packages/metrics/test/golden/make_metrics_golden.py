"""Golden values for test/metrics.test.ts: scikit-image SSIM/PSNR, an insightface-style numpy LFW protocol,
and numpy formulas for the other metrics. Run: /usr/bin/python3 make_metrics_golden.py (writes metrics_golden.json)."""
import json
import os

import numpy as np
import skimage
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

rng = np.random.default_rng(20240611)


def wang_ssim(a, b, data_range):
    """Independent numpy SSIM (Wang 2004, Gaussian 11x11, sigma 1.5), valid-region mean, channels averaged."""
    x = np.arange(-5, 6)
    g = np.exp(-x**2 / (2 * 1.5**2))
    g /= g.sum()
    w = np.outer(g, g)
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2

    def filt(p):
        h, wd = p.shape
        out = np.empty((h - 10, wd - 10))
        for i in range(h - 10):
            for j in range(wd - 10):
                out[i, j] = (w * p[i:i + 11, j:j + 11]).sum()
        return out

    a3 = a[..., None] if a.ndim == 2 else a
    b3 = b[..., None] if b.ndim == 2 else b
    vals = []
    for ch in range(a3.shape[2]):
        p, q = a3[..., ch], b3[..., ch]
        ux, uy = filt(p), filt(q)
        vx, vy, vxy = filt(p * p) - ux**2, filt(q * q) - uy**2, filt(p * q) - ux * uy
        s = ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux**2 + uy**2 + c1) * (vx + vy + c2))
        vals.append(s.mean())
    return float(np.mean(vals))


def image_cases():
    yy, xx = np.mgrid[0:24, 0:20]
    structured = 0.5 + 0.3 * np.sin(xx / 2.0) * np.cos(yy / 3.0) + 0.2 * ((xx // 4 + yy // 4) % 2)
    cases = [
        ('random grey 16x16, noise', rng.random((16, 16)), None, 1.0),
        ('structured grey 24x20, blur-like shift', structured, np.roll(structured, 1, axis=1) * 0.9 + 0.05, 1.0),
        ('structured grey 24x20, noise', structured, None, 1.0),
        ('random rgb 20x24x3, noise', rng.random((20, 24, 3)), None, 1.0),
        ('8-bit rgb 18x18x3', np.round(rng.random((18, 18, 3)) * 255), None, 255.0),
        ('identical grey 12x12', rng.random((12, 12)), 'same', 1.0),
    ]
    out = []
    for name, a, b, data_range in cases:
        if b is None:
            noise = rng.normal(0, 0.1 * data_range, a.shape)
            b = np.clip(a + noise, 0, data_range)
            if data_range == 255.0:
                b = np.round(b)
        elif isinstance(b, str):
            b = a.copy()
        channel = {'channel_axis': -1} if a.ndim == 3 else {}
        s = structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                  data_range=data_range, **channel)
        assert abs(s - wang_ssim(a, b, data_range)) < 1e-12, name
        p = peak_signal_noise_ratio(a, b, data_range=data_range) if not np.array_equal(a, b) else 'Infinity'
        out.append({'name': name, 'a': a.tolist(), 'b': b.tolist(), 'dataRange': data_range, 'ssim': float(s), 'psnr': p})
    return out


def insightface_roc(dist, issame, nrof_folds=10):
    """insightface's calculate_roc structure (KFold without shuffling, argmax on the training folds, np.std),
    with candidate thresholds from the observed training distances plus -inf, and 'same' iff dist <= t."""
    n = len(dist)
    sizes = np.full(nrof_folds, n // nrof_folds)
    sizes[: n % nrof_folds] += 1  # sklearn KFold
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    accs, ths = [], []
    for f in range(nrof_folds):
        test = np.zeros(n, bool)
        test[bounds[f]:bounds[f + 1]] = True
        train = ~test
        thresholds = np.concatenate([[-np.inf], np.unique(dist[train])])  # ascending
        acc_train = [np.mean((dist[train] <= t) == issame[train]) for t in thresholds]
        t = thresholds[int(np.argmax(acc_train))]
        ths.append(float(t))
        accs.append(float(np.mean((dist[test] <= t) == issame[test])))
    return {'accuracy': float(np.mean(accs)), 'std': float(np.std(accs)), 'thresholds': ths, 'foldAccuracies': accs}


def verification_cases():
    out = []
    for n, folds in [(200, 10), (203, 10), (57, 5)]:
        issame = rng.random(n) < 0.5
        dist = np.where(issame, rng.normal(0.9, 0.3, n), rng.normal(1.4, 0.3, n))
        dist = np.round(dist, 2)  # ties on purpose
        sim = -dist
        pos, neg = sim[issame], sim[~issame]
        auc = (np.sum(pos[:, None] > neg[None, :]) + 0.5 * np.sum(pos[:, None] == neg[None, :])) / (len(pos) * len(neg))
        tars = []
        for far in [0.0, 0.01, 0.1, 0.3]:
            # brute force: every observed score (and +inf) as threshold; the lowest one with FAR <= far
            best = None
            for t in np.concatenate([np.unique(sim), [np.inf]]):
                fa = np.mean(neg >= t)
                if fa <= far + 1e-12 and (best is None or t < best):
                    best = t
            tars.append({'far': far, 'tar': float(np.mean(pos >= best)), 'farReached': float(np.mean(neg >= best)),
                         'threshold': float(best) if np.isfinite(best) else 'Infinity'})
        out.append({'distances': dist.tolist(), 'issame': issame.tolist(), 'folds': folds,
                    'lfw': insightface_roc(dist, issame, folds), 'rocAuc': float(auc), 'tarAtFar': tars})
    return out


def regression_cases():
    t = rng.normal(0, 0.5, 40)
    p = 0.7 * t + rng.normal(0.1, 0.3, 40)
    p[3] = 0.0
    t[3] = 0.0
    cov = np.mean((t - t.mean()) * (p - p.mean()))
    ccc0 = 2 * cov / (t.var() + p.var() + (t.mean() - p.mean()) ** 2)
    ccc1 = 2 * np.cov(t, p, ddof=1)[0, 1] / (t.var(ddof=1) + p.var(ddof=1) + (t.mean() - p.mean()) ** 2)
    seq_lens_t = [5, 8, 3, 6, 7, 4]
    seq_lens_p = [5, 7, 3, 6, 9, 4]
    seqs_t = [rng.normal(i * 0.2, 0.3, k).tolist() for i, k in enumerate(seq_lens_t)]
    seqs_p = [rng.normal(i * 0.15 + 0.1, 0.3, k).tolist() for i, k in enumerate(seq_lens_p)]
    mt = np.array([np.mean(s) for s in seqs_t])
    mp = np.array([np.mean(s) for s in seqs_p])
    ccc_seq = 2 * np.mean((mt - mt.mean()) * (mp - mp.mean())) / (mt.var() + mp.var() + (mt.mean() - mp.mean()) ** 2)
    return {
        'yTrue': t.tolist(), 'yPred': p.tolist(), 'ccc': float(ccc0), 'cccDdof1': float(ccc1),
        'pearson': float(np.corrcoef(t, p)[0, 1]), 'mse': float(np.mean((t - p) ** 2)),
        'rmse': float(np.sqrt(np.mean((t - p) ** 2))), 'mae': float(np.mean(np.abs(t - p))),
        'sagr': float(np.mean(np.sign(t) == np.sign(p))),
        'sequencesTrue': seqs_t, 'sequencesPred': seqs_p, 'cccPerSequenceMean': float(ccc_seq),
    }


def classification_cases():
    k = 5
    t = rng.integers(0, k - 1, 60)  # class 4 never true
    p = np.where(rng.random(60) < 0.6, t, rng.integers(0, k, 60))
    f1s, recalls = [], []
    for c in range(k):
        tp = np.sum((p == c) & (t == c))
        prec = tp / np.sum(p == c) if np.sum(p == c) else 0.0
        rec = tp / np.sum(t == c) if np.sum(t == c) else 0.0
        if np.sum(t == c) or np.sum(p == c):
            f1s.append(0.0 if prec + rec == 0 else 2 * prec * rec / (prec + rec))
        if np.sum(t == c):
            recalls.append(rec)
    cm = np.zeros((k, k), int)
    np.add.at(cm, (t, p), 1)
    return {'yTrue': t.tolist(), 'yPred': p.tolist(), 'numClasses': k, 'accuracy': float(np.mean(t == p)),
            'macroF1': float(np.mean(f1s)), 'uar': float(np.mean(recalls)), 'confusionMatrix': cm.tolist()}


def nme_case():
    gt = rng.uniform(20, 100, (3, 68, 2))
    pred = gt + rng.normal(0, 2, gt.shape)
    iod = np.linalg.norm(gt[:, 36] - gt[:, 45], axis=1)
    per = np.linalg.norm(pred - gt, axis=2).mean(axis=1) / iod
    return {'pred': pred.tolist(), 'gt': gt.tolist(), 'nme': float(per.mean()), 'nmeFirst': float(per[0])}


golden = {
    'generator': f'make_metrics_golden.py, numpy {np.__version__}, scikit-image {skimage.__version__}',
    'images': image_cases(), 'verification': verification_cases(), 'regression': regression_cases(),
    'classification': classification_cases(), 'nme': nme_case(),
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'metrics_golden.json')
tmp = path + '.tmp'
with open(tmp, 'w') as f:
    json.dump(golden, f)
os.replace(tmp, path)
print('wrote', path)
