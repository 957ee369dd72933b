"""The RoCGAN layout in PyTorch (the reference's Chainer modules, NCHW): used by make_rocgan.py for parameter
counts and by benchmarks/peers/torch_rocgan.py as the benchmark peer."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Encoder(nn.Module):
    """L-1 convs 4x4/2 pad 1 with batch norm, a conv 4x4/4 to 1x1 without; leaky ReLU 0.2 after every layer."""

    def __init__(self, channels, in_ch=3):
        super().__init__()
        self.convs, self.bns, prev = nn.ModuleList(), nn.ModuleList(), in_ch
        for i, c in enumerate(channels):
            last = i == len(channels) - 1
            self.convs.append(nn.Conv2d(prev, c, 4, 4 if last else 2, 0 if last else 1))
            if not last:
                self.bns.append(nn.BatchNorm2d(c))
            prev = c

    def forward(self, x):
        skips = []
        for i, conv in enumerate(self.convs):
            x = conv(x)
            if i < len(self.bns):
                x = self.bns[i](x)
            x = F.leaky_relu(x, 0.2)
            if i < len(self.bns):
                skips.append(x)
        return x, skips[::-1]


class Decoder(nn.Module):
    """Transposed convs 4x4/4 then 4x4/2 pad 1, mirrored channels; BN + leaky ReLU but on the last; tanh."""

    def __init__(self, channels, out_ch=3, skips=False):
        super().__init__()
        outs = list(reversed(channels[:-1])) + [out_ch]
        skip_ch = list(reversed(channels[:-1]))
        self.skips = skips
        self.convs, self.bns, prev = nn.ModuleList(), nn.ModuleList(), channels[-1]
        for i, c in enumerate(outs):
            cin = prev + (skip_ch[i - 1] if skips and i > 0 else 0)
            self.convs.append(nn.ConvTranspose2d(cin, c, 4, 4 if i == 0 else 2, 0 if i == 0 else 1))
            if i < len(outs) - 1:
                self.bns.append(nn.BatchNorm2d(c))
            prev = c

    def forward(self, h, skips=()):
        for i, conv in enumerate(self.convs):
            if self.skips and i > 0:
                h = torch.cat([skips[i - 1], h], 1)
            h = conv(h)
            h = F.leaky_relu(self.bns[i](h), 0.2) if i < len(self.bns) else torch.tanh(h)
        return h


def scale_only_bn(c):
    bn = nn.BatchNorm2d(c)
    bn.bias = None  # Chainer's use_beta=False
    return bn


class Discriminator(nn.Module):
    """BN (scale only) before convs 1-2, conv 4x4/2 + ReLU x2, conv 3 without activation -> features, linear -> 1."""

    def __init__(self, size, channels=(64, 64, 64), in_ch=3):
        super().__init__()
        self.features = channels[2] * (size // 8) ** 2
        self.bn1, self.bn2 = scale_only_bn(in_ch), scale_only_bn(channels[0])
        self.c1 = nn.Conv2d(in_ch, channels[0], 4, 2, 1)
        self.c2 = nn.Conv2d(channels[0], channels[1], 4, 2, 1)
        self.c3 = nn.Conv2d(channels[1], channels[2], 4, 2, 1)
        self.lin = nn.Linear(self.features, 1)

    def forward(self, x):
        h = F.relu(self.c1(self.bn1(x)))
        h = F.relu(self.c2(self.bn2(h)))
        f = self.c3(h).flatten(1)
        return self.lin(f), f


def count(m):
    return sum(p.numel() for p in m.parameters())
