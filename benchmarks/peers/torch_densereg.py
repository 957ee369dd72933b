"""PyTorch peer of packages/densereg/bench/step.bench.mjs: one DenseReg training step (forward, quantized-regression
loss, backward, Adam update) with the ResNet-50 trunk at output stride 8 as densereg builds it: conv7x7/2-BN-ReLU,
max-pool 3x3/2 (pad 1), bottleneck stages [3, 4, 6, 3] x [64, 128, 256, 512] (stride on the 3x3; res3 stride 2;
res4 and res5 dilation 2 and 4), 1x1 heads (11 + 10 per axis), bilinear upsampling (align_corners) to the input;
loss = per axis 11-way cross-entropy over all pixels + smooth-L1 of the true bin's residual over foreground.
2 threads, channels_last. Prints JSON with the median step time in ms. Usage: python3 torch_densereg.py <batch> <size> <warmup> <reps>"""
import json
import statistics
import sys

import torch
from torch import nn
import torch.nn.functional as F

from torch_timing import step_times_ms  # harness.mjs puts peers/ on PYTHONPATH

K = 10


def conv_bn(cin, cout, k, s=1, p=0, d=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, p, dilation=d, bias=False), nn.BatchNorm2d(cout))


class Bottleneck(nn.Module):
    def __init__(self, cin, width, stride, dilation):
        super().__init__()
        self.a = conv_bn(cin, width, 1)
        self.b = conv_bn(width, width, 3, stride, dilation, dilation)
        self.c = conv_bn(width, 4 * width, 1)
        self.short = conv_bn(cin, 4 * width, 1, stride) if stride != 1 or cin != 4 * width else nn.Identity()

    def forward(self, x):
        return F.relu(self.c(F.relu(self.b(F.relu(self.a(x))))) + self.short(x))


class DenseReg(nn.Module):
    def __init__(self):
        super().__init__()
        layers = [conv_bn(3, 64, 7, 2, 3), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
        cin = 64
        for blocks, width, stride, dil in ((3, 64, 1, 1), (4, 128, 2, 1), (6, 256, 1, 2), (3, 512, 1, 4)):
            for b in range(blocks):
                layers.append(Bottleneck(cin, width, stride if b == 0 else 1, dil))
                cin = 4 * width
        self.trunk = nn.Sequential(*layers)
        self.heads = nn.Conv2d(cin, 2 * (2 * K + 1), 1)

    def forward(self, x):
        return F.interpolate(self.heads(self.trunk(x)), size=x.shape[2:], mode='bilinear', align_corners=True)


def axis_loss(logits, residuals, u):
    fg = (u >= 0).float()
    q = (torch.clamp(torch.floor(u * K) + 1, 1, K) * fg).long()
    r = (u * K - (q - 1).float()) * fg
    picked = torch.gather(residuals, 1, torch.clamp(q - 1, min=0).unsqueeze(1)).squeeze(1)
    reg = (F.smooth_l1_loss(picked, r, reduction='none') * fg).sum() / fg.sum().clamp(min=1)
    return F.cross_entropy(logits, q) + reg


batch, size, warmup, reps = (int(a) for a in sys.argv[1:5])
torch.set_num_threads(2)
torch.manual_seed(0)
model = DenseReg().to(memory_format=torch.channels_last).train()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
x = (torch.rand(batch, 3, size, size) * 240 - 120).to(memory_format=torch.channels_last)
grid = torch.linspace(0, 1, size)
u = grid.view(1, 1, size).expand(batch, size, size)
v = grid.view(1, size, 1).expand(batch, size, size)
inside = (u - 0.5) ** 2 + (v - 0.5) ** 2 <= 0.16
u = torch.where(inside, u, torch.full_like(u, -1.0))
v = torch.where(inside, v, torch.full_like(v, -1.0))


def step():
    opt.zero_grad(set_to_none=True)
    out = model(x)
    loss = axis_loss(out[:, :K + 1], out[:, K + 1:2 * K + 1], u) + axis_loss(out[:, 2 * K + 1:3 * K + 2], out[:, 3 * K + 2:], v)
    loss.backward()
    opt.step()


times = step_times_ms(step, warmup, reps)
params = sum(p.numel() for p in model.parameters())
print(json.dumps({"ms": statistics.median(times), "threads": torch.get_num_threads(), "torch": torch.__version__, "params": params}))
