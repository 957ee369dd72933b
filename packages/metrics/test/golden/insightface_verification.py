"""A numpy/scipy port of insightface's verification protocol (recognition/arcface_torch/eval/verification.py:
calculate_roc, calculate_val, evaluate), written from the published algorithm without scikit-learn.

- Folds: scikit-learn's KFold(n_splits, shuffle=False) = contiguous folds, the first n % k one pair larger.
- calculate_roc: for each fold, the threshold of `thresholds` maximising accuracy on the other folds (np.argmax:
  the first maximum), a pair predicted "same" iff dist < threshold; the held-out fold's accuracy at it.
- calculate_val: per fold, FAR on the training folds at every threshold; if max FAR >= far_target the threshold
  is interp1d(far_train, thresholds, kind='slinear')(far_target), else 0; VAL and FAR on the held-out fold.

interp1d(kind='slinear') sorts x stably (mergesort) and, in scipy <= 1.8.1 (the versions insightface's code runs
on), builds make_interp_spline(x, y, k=1) = BSpline(np.r_[x[0], x, x[-1]], y, 1) without rejecting the repeated
FAR values that far_train always has; scipy >= 1.9 raises "Expect x to not have duplicates" there. This port
builds that BSpline directly (bounds checked as interp1d does), so it runs on current scipy.

Used by make_insightface_verification.py here and by arcface's test/golden/make_verification_golden.py.
"""
import numpy as np
from scipy.interpolate import BSpline

ROC_THRESHOLDS = np.arange(0, 4, 0.01)
VAL_THRESHOLDS = np.arange(0, 4, 0.001)


def kfold(n, k):
    """(train, test) index arrays of scikit-learn's KFold(n_splits=k, shuffle=False)."""
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    idx = np.arange(n)
    return [(np.concatenate([idx[: bounds[f]], idx[bounds[f + 1]:]]), idx[bounds[f]:bounds[f + 1]]) for f in range(k)]


def calculate_accuracy(threshold, dist, actual_issame):
    predict_issame = np.less(dist, threshold)
    tp = np.sum(np.logical_and(predict_issame, actual_issame))
    tn = np.sum(np.logical_and(np.logical_not(predict_issame), np.logical_not(actual_issame)))
    return float(tp + tn) / dist.size


def calculate_roc(thresholds, dist, actual_issame, nrof_folds=10):
    accuracy, best = np.zeros(nrof_folds), np.zeros(nrof_folds)
    for fold, (train, test) in enumerate(kfold(len(dist), nrof_folds)):
        acc_train = np.array([calculate_accuracy(t, dist[train], actual_issame[train]) for t in thresholds])
        best[fold] = thresholds[np.argmax(acc_train)]
        accuracy[fold] = calculate_accuracy(best[fold], dist[test], actual_issame[test])
    return accuracy, best


def calculate_val_far(threshold, dist, actual_issame):
    predict_issame = np.less(dist, threshold)
    true_accept = np.sum(np.logical_and(predict_issame, actual_issame))
    false_accept = np.sum(np.logical_and(predict_issame, np.logical_not(actual_issame)))
    return float(true_accept) / float(np.sum(actual_issame)), float(false_accept) / float(np.sum(np.logical_not(actual_issame)))


def interp1d_slinear(x, y, x_new):
    """scipy <= 1.8.1's interp1d(x, y, kind='slinear')(x_new) for scalar x_new, duplicates in x allowed."""
    order = np.argsort(x, kind='mergesort')
    x, y = x[order], y[order]
    if x_new < x[0] or x_new > x[-1]:
        raise ValueError('A value in x_new is outside the interpolation range.')
    return float(BSpline(np.r_[x[0], x, x[-1]], y, 1)(x_new))


def calculate_val(thresholds, dist, actual_issame, far_target, nrof_folds=10):
    val, far, chosen = np.zeros(nrof_folds), np.zeros(nrof_folds), np.zeros(nrof_folds)
    for fold, (train, test) in enumerate(kfold(len(dist), nrof_folds)):
        far_train = np.array([calculate_val_far(t, dist[train], actual_issame[train])[1] for t in thresholds])
        chosen[fold] = interp1d_slinear(far_train, thresholds, far_target) if np.max(far_train) >= far_target else 0.0
        val[fold], far[fold] = calculate_val_far(chosen[fold], dist[test], actual_issame[test])
    return val, far, chosen


def squared_distances(embeddings):
    """evaluate()'s distances: rows 2i and 2i + 1 form pair i; sum of squared differences."""
    return np.sum(np.square(embeddings[0::2] - embeddings[1::2]), 1)


def evaluate(dist, actual_issame, nrof_folds=10, far_target=1e-3):
    """evaluate() on precomputed distances, every per-fold number kept."""
    actual_issame = np.asarray(actual_issame)
    accuracy, best = calculate_roc(ROC_THRESHOLDS, dist, actual_issame, nrof_folds)
    val, far, chosen = calculate_val(VAL_THRESHOLDS, dist, actual_issame, far_target, nrof_folds)
    return {
        'accuracy': float(np.mean(accuracy)), 'std': float(np.std(accuracy)),
        'foldAccuracies': accuracy.tolist(), 'thresholds': best.tolist(),
        'tar': float(np.mean(val)), 'tarStd': float(np.std(val)), 'far': float(np.mean(far)),
        'foldTars': val.tolist(), 'foldFars': far.tolist(), 'valThresholds': chosen.tolist(),
    }
