"""Writes upstream_av.hdf5: an HDF5 file laid out as upstream end2you's AudioVisualGenerator writes it (h5py,
read from its serialize_samples): datasets audio (S x T), visual (S x F x 3 x H x W), labels (S x L), float32;
attributes data_file, label_file, seq_num (labels - 1, upstream's count), num_samples ([audio, visual]),
label_names (a list of str). Small sizes (H = W = 4) keep the golden tiny.
Values: audio[s, t] = s + t / 100, visual[s, f, c, y, x] = s + c / 10 + y / 100 + x / 1000, labels[s, l] = s / 10 + l.
Run: /usr/bin/python3 make_upstream_hdf5.py
"""
import h5py
import numpy as np

S, T, F, H, W = 3, 8, 1, 4, 4
s = np.arange(S, dtype=np.float32)
audio = s[:, None] + np.arange(T, dtype=np.float32)[None, :] / 100
c, y, x = np.meshgrid(np.arange(3), np.arange(H), np.arange(W), indexing='ij')
visual = np.stack([np.stack([si + c / 10 + y / 100 + x / 1000]) for si in s]).astype(np.float32)
labels = (s[:, None] / 10 + np.arange(2)[None, :]).astype(np.float32)

with h5py.File('upstream_av.hdf5', 'w') as f:
    f.create_dataset('audio', data=audio)
    f.create_dataset('visual', data=visual)
    f.create_dataset('labels', data=labels)
    f.attrs['data_file'] = 'clip.mp4'
    f.attrs['label_file'] = 'clip.csv'
    f.attrs['seq_num'] = S - 1
    f.attrs['num_samples'] = [T, F]
    f.attrs['label_names'] = ['arousal', 'valence']
