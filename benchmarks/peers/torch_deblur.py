"""PyTorch peer of packages/deblur/bench/step.bench.mjs: one two-stream training step at 128x128 — the deblurring U-Net
(levels [32, 64, 128]: two conv3x3-BN-ReLU units per level, 2x2 max-pool, 2x2 stride-2 transposed convolutions,
skip concatenation, 1x1 output, residual add) with L1 + 0.1 * (1 - cos) through a frozen small IR-ResNet identity
stream (packages/arcface/test/golden/iresnet_torch.py, units [1, 1, 1, 1], widths 16-128, embedding 64, eval mode),
Adam 1e-3, as the tfjs run. 2 threads, channels_last. Prints JSON with the median step time in ms.
Usage: python3 torch_deblur.py <batch> <size> <warmup> <reps>"""
import json
import os
import statistics
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packages", "arcface", "test", "golden"))
from iresnet_torch import IResNet  # noqa: E402
from torch_timing import step_times_ms  # harness.mjs puts peers/ on PYTHONPATH


def conv_bn_relu(cin, cout):
    # Keras momentum 0.9 = PyTorch momentum 0.1; epsilon 1e-3 as core-tensor's convBnAct.
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.1), nn.ReLU())


class UNet(nn.Module):
    def __init__(self, filters):
        super().__init__()
        self.enc = nn.ModuleList()
        cin = 3
        for f in filters:
            self.enc.append(nn.Sequential(conv_bn_relu(cin, f), conv_bn_relu(f, f)))
            cin = f
        self.up = nn.ModuleList()
        self.dec = nn.ModuleList()
        for i in range(len(filters) - 2, -1, -1):
            self.up.append(nn.ConvTranspose2d(filters[i + 1], filters[i], 2, stride=2))
            self.dec.append(nn.Sequential(conv_bn_relu(2 * filters[i], filters[i]), conv_bn_relu(filters[i], filters[i])))
        self.out = nn.Conv2d(filters[0], 3, 1)

    def forward(self, x):
        feats = []
        y = x
        for i, block in enumerate(self.enc):
            if i > 0:
                y = F.max_pool2d(y, 2)
            y = block(y)
            feats.append(y)
        for j, (up, dec) in enumerate(zip(self.up, self.dec)):
            y = dec(torch.cat([feats[len(feats) - 2 - j], up(y)], 1))
        return x + self.out(y)


batch, size, warmup, reps = (int(a) for a in sys.argv[1:5])
torch.set_num_threads(2)
torch.manual_seed(0)
cl = torch.channels_last
net = UNet([32, 64, 128]).to(memory_format=cl).train()
identity = IResNet([1, 1, 1, 1], widths=(16, 16, 32, 64, 128), input_size=size, embedding_size=64).to(memory_format=cl).eval()
for p in identity.parameters():
    p.requires_grad_(False)
opt = torch.optim.Adam(net.parameters(), 1e-3)
x = torch.rand(batch, 3, size, size).to(memory_format=cl)
y = torch.rand(batch, 3, size, size).to(memory_format=cl)


def embed(img):
    return F.normalize(identity((img * 255 - 127.5) / 128), dim=1)


def step():
    opt.zero_grad(set_to_none=True)
    out = net(x)
    loss = (out - y).abs().mean() + 0.1 * (1 - (embed(out) * embed(y)).sum(1).mean())
    loss.backward()
    opt.step()


times = step_times_ms(step, warmup, reps)
print(json.dumps({"ms": statistics.median(times), "threads": torch.get_num_threads(), "torch": torch.__version__}))
