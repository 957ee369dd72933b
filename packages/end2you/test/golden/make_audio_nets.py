"""Golden outputs of the audio encoders (Emo16, Emo18, Zhao19) from PyTorch 1.13, written to audio_nets.json.

The layers follow upstream end2you's models/audio/{emo16,emo18,zhao19,base}.py (re-typed here, eval mode).
Weights and inputs come from a formula both sides compute, so the JSON holds only outputs:
  tensor of shape s, flat index i (row-major, PyTorch layout):  value = scale * sin(0.37 * i + phase)
Run: /usr/bin/python3 make_audio_nets.py
"""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def formula(shape, scale, phase):
    n = math.prod(shape)
    return torch.tensor([scale * math.sin(0.37 * i + phase) for i in range(n)], dtype=torch.float64).reshape(shape)


def fill(module, phase):
    for k, (name, p) in enumerate(sorted(module.named_parameters())):
        with torch.no_grad():
            p.copy_(formula(p.shape, 0.1, phase + k))


def emo16(x, view):
    conv1 = nn.Conv1d(1, 40, 20, padding=9).double()
    conv2 = nn.Conv1d(40, 40, 40, padding=19).double()
    fill(conv1, 0.0)
    fill(conv2, 10.0)
    n, t = x.shape
    y = F.max_pool1d(F.relu(conv1(x.view(n, 1, t))), 2, 2, padding=1)
    y = F.relu(conv2(y))
    _, c2, t2 = y.shape
    # upstream: y.view(n, t2, c2) reinterprets memory; the fix transposes
    y = y.view(n, t2, c2) if view else y.transpose(1, 2)
    y = F.max_pool1d(y, 10, 10, padding=4)
    return y.reshape(n, -1)


def conv_stack(x, blocks, act, phase):
    n, t = x.shape
    y = x.view(n, 1, t)
    c_in = 1
    for b, (c, k, p, pool) in enumerate(blocks):
        conv = nn.Conv1d(c_in, c, k, padding=p).double()
        fill(conv, phase + 10 * b)
        bn = nn.BatchNorm1d(c).double().eval()  # running mean 0, var 1
        y = F.max_pool1d(act(bn(conv(y))), pool, pool)
        c_in = c
    # channel-last flatten, as tfjs's NWC layout gives: (n, t, c)
    return y.transpose(1, 2).reshape(n, -1)


def main():
    x640 = formula((2, 640), 0.5, 0.3)
    x800 = formula((1, 800), 0.5, 0.3)
    out = {
        'formula': 'scale * sin(0.37 * i + phase); weights scale 0.1, phase = base + index of the parameter in sorted(named_parameters)',
        'emo16_view': emo16(x640, True).tolist(),
        'emo16_transpose': emo16(x640, False).tolist(),
        'emo18_800': conv_stack(x800, [(64, 8, 3, 10), (128, 6, 2, 8), (256, 6, 2, 8)], lambda y: F.leaky_relu(y, 0.01), 0.0).tolist(),
        'zhao19_640': conv_stack(x640, [(64, 3, 1, 4), (64, 3, 1, 4), (128, 3, 1, 4), (128, 3, 1, 4)], F.elu, 0.0).tolist(),
    }
    with open('audio_nets.json', 'w') as f:
        json.dump(out, f)


if __name__ == '__main__':
    main()
