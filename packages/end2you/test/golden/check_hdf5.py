"""Checks that h5py reads End2You HDF5 files with upstream's PyTorch-generation layout; prints a JSON summary.

  /usr/bin/python3 check_hdf5.py FILE...   → exit 1 with a message on the first file that breaks the layout

Layout: float32 datasets audio (S x T), visual (S x F x 3 x H x W), physio (S x T x C), labels (S x L);
attributes data_file, label_file (str), seq_num (int, = S), num_samples (int, or one per modality present in the
order audio, visual, physio), label_names (L str).
"""
import json
import sys

import h5py
import numpy as np

RANKS = {'audio': 2, 'visual': 5, 'physio': 3, 'labels': 2}


def check(path):
    with h5py.File(path, 'r') as f:
        assert 'labels' in f, 'no labels dataset'
        steps = f['labels'].shape[0]
        present = [m for m in ('audio', 'visual', 'physio') if m in f]
        assert present, 'no modality dataset'
        for name in present + ['labels']:
            d = f[name]
            assert d.dtype == np.float32, f'{name} is {d.dtype}, not float32'
            assert d.ndim == RANKS[name], f'{name} has rank {d.ndim}'
            assert d.shape[0] == steps, f'{name} has {d.shape[0]} steps, labels {steps}'
        if 'visual' in f:
            assert f['visual'].shape[2] == 3, 'visual is not channels-first RGB'
        a = f.attrs
        for key in ('data_file', 'label_file', 'seq_num', 'num_samples', 'label_names'):
            assert key in a, f'no attribute {key}'
        assert int(a['seq_num']) == steps, f"seq_num {a['seq_num']} != {steps}"
        counts = np.atleast_1d(a['num_samples']).tolist()
        assert counts == [f[m].shape[1] for m in present], f'num_samples {counts}'
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in np.atleast_1d(a['label_names'])]
        assert len(names) == f['labels'].shape[1], f'label_names {names}'
        return {
            'datasets': {name: list(f[name].shape) for name in present + ['labels']},
            'seq_num': int(a['seq_num']),
            'num_samples': counts,
            'label_names': names,
            'labels_mean': float(np.mean(f['labels'][()])),
        }


if __name__ == '__main__':
    out = {}
    for p in sys.argv[1:]:
        try:
            out[p] = check(p)
        except AssertionError as e:
            print(f'{p}: {e}', file=sys.stderr)
            sys.exit(1)
    print(json.dumps(out))
