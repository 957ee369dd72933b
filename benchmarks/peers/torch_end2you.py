"""PyTorch peer of packages/end2you/bench/step.bench.mjs: one training step (forward, masked CCC loss, backward,
Adam update) of End2You's audiovisual model as @facelab/end2you builds it: Emo16 (channel pool over a real
transpose) on 640-sample frames and ResNet-18 (no classifier) on 96x96 frames, concatenated (1276 + 512), a
batch-first GRU or LSTM 2x512, linear to 2 outputs. 2 threads, channels_last convolutions.
Prints JSON with the median step time in ms.
Usage: python3 torch_end2you.py <batch> <steps> <warmup> <reps> <gru|lstm>"""
import json
import statistics
import sys

import torch
from torch import nn
import torch.nn.functional as F

from torch_timing import step_times_ms  # harness.mjs puts peers/ on PYTHONPATH


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.short = None if stride == 1 and cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.b2(self.c2(F.relu(self.b1(self.c1(x)))))
        return F.relu(y + (x if self.short is None else self.short(x)))


def resnet18():
    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    c = 64
    for s, f in enumerate([64, 128, 256, 512]):
        for b in range(2):
            layers.append(Basic(c, f, 2 if s > 0 and b == 0 else 1))
            c = f
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten())


class Emo16(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(1, 40, 20, padding=9)
        self.conv2 = nn.Conv1d(40, 40, 40, padding=19)

    def forward(self, x):  # (N, T)
        y = F.max_pool1d(F.relu(self.conv1(x.unsqueeze(1))), 2, 2, padding=1)
        y = F.relu(self.conv2(y)).transpose(1, 2)
        return F.max_pool1d(y, 10, 10, padding=4).flatten(1)


class AudioVisual(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.audio = Emo16()
        self.visual = resnet18()
        self.rnn = (nn.GRU if cell == 'gru' else nn.LSTM)(1276 + 512, 512, num_layers=2, batch_first=True)
        self.out = nn.Linear(512, 2)

    def forward(self, a, v):  # a [B, S, 640], v [B, S, 3, 96, 96]
        b, s = a.shape[:2]
        fa = self.audio(a.flatten(0, 1)).view(b, s, -1)
        fv = self.visual(v.flatten(0, 1).contiguous(memory_format=torch.channels_last)).view(b, s, -1)
        return self.out(self.rnn(torch.cat([fa, fv], -1))[0])


def ccc_loss(y, p):
    y, p = y.reshape(-1, 2), p.reshape(-1, 2)
    my, mp = y.mean(0), p.mean(0)
    cov = ((y - my) * (p - mp)).mean(0)
    return 1 - (2 * cov / (y.var(0, unbiased=False) + p.var(0, unbiased=False) + (my - mp) ** 2)).mean()


batch, steps, warmup, reps = (int(a) for a in sys.argv[1:5])
cell = sys.argv[5]
torch.set_num_threads(2)
torch.manual_seed(0)
model = AudioVisual(cell).to(memory_format=torch.channels_last).train()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
a = torch.randn(batch, steps, 640) * 0.1
v = torch.rand(batch, steps, 3, 96, 96)
y = torch.rand(batch, steps, 2) * 2 - 1


def step():
    opt.zero_grad(set_to_none=True)
    ccc_loss(y, model(a, v)).backward()
    opt.step()


times = step_times_ms(step, warmup, reps)
params = sum(p.numel() for p in model.parameters())
print(json.dumps({"ms": statistics.median(times), "threads": torch.get_num_threads(), "torch": torch.__version__, "params": params}))
