"""Golden file for test/resnet-slim.test.ts: a PyTorch re-implementation of TF-slim's resnet_v1_50.

The layout follows tensorflow/contrib/slim/python/slim/nets/resnet_v1.py and resnet_utils.py under
resnet_v1.resnet_arg_scope() (what dkollias/Aff-Wild-models builds its ResNet-GRU with):
  conv1 = conv2d_same 7x7/2 (explicit pad 3/3, VALID) + BN + ReLU
  pool1 = max_pool2d 3x3/2 'SAME' (arg scope; TF pads the extra pixel bottom/right)
  block1..4 = [3, 4, 6, 3] bottleneck_v1 units, depth 4*base, base [64, 128, 256, 512]; the LAST unit of
          blocks 1-3 has stride 2, block 4 stride 1;
  bottleneck_v1: conv1 1x1 + BN + ReLU, conv2 = conv2d_same 3x3/stride + BN + ReLU, conv3 1x1 + BN;
          shortcut = subsample (1x1 max-pool, stride) when depth_in == depth, else conv 1x1/stride + BN;
          output ReLU(shortcut + residual)
  global average pool -> 2048.
BN (is_training False): gamma * (x - moving_mean) / sqrt(moving_variance + 1e-5) + beta.

Writes resnet50-slim.json:
  shapes:  NHWC output shape of each block (and of conv1, pool1) for several input sizes;
  params:  trainable parameters and BN moving statistics;
  forwards: the 2048-d output for a deterministic input, with every weight filled by weight_values() (the test
            fills its tfjs weights by the same formula, in TF's HWIO / per-channel layout).
Run: /usr/bin/python3 test/golden/make_resnet50_slim.py   (torch 1.13, numpy)
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

torch.set_default_dtype(torch.float64)
EPS = 1e-5


def key(name):
    """A small integer from a layer name (same formula in the test)."""
    return sum((i + 1) * ord(c) for i, c in enumerate(name)) % 1009


def weight_values(name, n, scale):
    """n deterministic pseudo-random values in [-scale·√3, scale·√3) (unit variance times `scale`) for the weight
    called `name`: u = frac(43758.5453 · sin(12.9898 j + 78.233 key)), value = scale·√3·(2u − 1)."""
    j = np.arange(n, dtype=np.float64)
    t = np.sin(12.9898 * j + 78.233 * key(name)) * 43758.5453
    return scale * 3 ** 0.5 * (2 * (t - np.floor(t)) - 1)


def same_pad(n, k, s):
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


class ConvBn(nn.Module):
    """Conv (no bias) + BN; `same`: TF conv2d_same (stride 1: SAME; stride > 1: explicit symmetric pad)."""

    def __init__(self, name, cin, cout, k, stride):
        super().__init__()
        self.name, self.k, self.stride = name, k, stride
        self.conv = nn.Conv2d(cin, cout, k, stride, 0, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=EPS)

    def forward(self, x):
        if self.k > 1:
            if self.stride == 1:
                b, e = same_pad(x.shape[2], self.k, 1)
                x = F.pad(x, (b, e, b, e))
            else:
                p = self.k - 1
                x = F.pad(x, (p // 2, p - p // 2, p // 2, p - p // 2))
        return self.bn(self.conv(x))

    def fill(self):
        w = self.conv.weight  # OIHW; values generated in HWIO order
        o, i, h, ww = w.shape
        hwio = weight_values(self.name + '_conv/kernel', h * ww * i * o, (2.0 / (h * ww * i)) ** 0.5).reshape(h, ww, i, o)
        w.data = torch.tensor(hwio.transpose(3, 2, 0, 1).copy())
        c = o
        self.bn.weight.data = torch.tensor(1 + 0.2 * weight_values(self.name + '_bn/gamma', c, 1.0))
        self.bn.bias.data = torch.tensor(0.1 * weight_values(self.name + '_bn/beta', c, 1.0))
        self.bn.running_mean.data = torch.tensor(0.05 * weight_values(self.name + '_bn/moving_mean', c, 1.0))
        self.bn.running_var.data = torch.tensor(1 + 0.3 * weight_values(self.name + '_bn/moving_variance', c, 1.0) ** 2)


class Bottleneck(nn.Module):
    def __init__(self, name, cin, base, stride):
        super().__init__()
        depth = 4 * base
        self.stride = stride
        self.c1 = ConvBn(name + '_1', cin, base, 1, 1)
        self.c2 = ConvBn(name + '_2', base, base, 3, stride)
        self.c3 = ConvBn(name + '_3', base, depth, 1, 1)
        self.short = None if cin == depth else ConvBn(name + '_short', cin, depth, 1, stride)

    def forward(self, x):
        y = self.c3(F.relu(self.c2(F.relu(self.c1(x)))))
        s = x[:, :, :: self.stride, :: self.stride] if self.short is None else self.short(x)
        return F.relu(y + s)


class SlimResnet50(nn.Module):
    def __init__(self, name):
        super().__init__()
        self.stem = ConvBn(name + '_stem', 3, 64, 7, 2)
        blocks, cin = [], 64
        for s, (n, base) in enumerate([(3, 64), (4, 128), (6, 256), (3, 512)]):
            units = []
            for b in range(n):
                stride = 2 if s < 3 and b == n - 1 else 1
                units.append(Bottleneck(f'{name}_s{s + 1}b{b + 1}', cin, base, stride))
                cin = 4 * base
            blocks.append(nn.Sequential(*units))
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x):
        taps = []
        y = F.relu(self.stem(x))
        taps.append(y)
        b, e = same_pad(y.shape[2], 3, 2)
        y = F.max_pool2d(F.pad(y, (b, e, b, e), value=-float('inf')), 3, 2)
        taps.append(y)
        for block in self.blocks:
            y = block(y)
            taps.append(y)
        return y.mean(dim=(2, 3)), taps

    def fill(self):
        for m in self.modules():
            if isinstance(m, ConvBn):
                m.fill()


def image(h, w):
    """Deterministic NHWC input in [-1, 1] (same formula in the test)."""
    y, x, c = np.meshgrid(np.arange(h), np.arange(w), np.arange(3), indexing='ij')
    return np.sin(0.3 * y + 0.17 * x + 1.1 * c) * np.cos(0.05 * x * (c + 1))


def main():
    net = SlimResnet50('r').eval()
    net.fill()
    params = sum(p.numel() for p in net.parameters())
    stats = sum(b.numel() for n, b in net.named_buffers() if 'running' in n)
    shapes, forwards = [], []
    with torch.no_grad():
        for size in [96, 64, 49, 97]:
            x = torch.tensor(image(size, size)).permute(2, 0, 1)[None]
            out, taps = net(x)
            shapes.append({'size': size, 'taps': [[1, t.shape[2], t.shape[3], t.shape[1]] for t in taps]})
            if size in (64, 49):
                forwards.append({'size': size, 'output': out[0].tolist()})
    golden = {
        'source': 'test/golden/make_resnet50_slim.py (PyTorch re-implementation of TF-slim resnet_v1_50)',
        'taps': ['conv1', 'pool1', 'block1', 'block2', 'block3', 'block4'],
        'params': params,
        'bnStats': stats,
        'shapes': shapes,
        'forwards': forwards,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'resnet50-slim.json')
    with open(path, 'w') as f:
        json.dump(golden, f)
    print(path, params, stats, [s['taps'] for s in shapes[:1]])


if __name__ == '__main__':
    main()
