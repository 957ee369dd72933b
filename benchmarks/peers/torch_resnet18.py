"""PyTorch peer of packages/core-tensor/bench/resnet18.bench.mjs: one ResNet-18 training step (forward, softmax cross-entropy over 1000
classes, backward, SGD update) at batch B, 112x112, written out here (torchvision is not installed) to match
core-tensor's basicBlock/convBnAct network: conv7x7/2-BN-ReLU, max-pool 3x3/2, four stages of two basic
blocks (64, 128, 256, 512; stride 2 from stage 2), global average pool, linear 1000. 2 threads, channels_last.
Prints JSON with the median step time in ms. Usage: python3 torch_resnet18.py <batch> <warmup> <reps>"""
import json
import statistics
import sys

import torch
from torch import nn
import torch.nn.functional as F

from torch_timing import step_times_ms  # harness.mjs puts peers/ on PYTHONPATH


def conv_bn(cin, cout, k, s, p):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, p, bias=False), nn.BatchNorm2d(cout))


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.a = conv_bn(cin, cout, 3, stride, 1)
        self.b = conv_bn(cout, cout, 3, 1, 1)
        self.short = conv_bn(cin, cout, 1, stride, 0) if stride != 1 or cin != cout else nn.Identity()

    def forward(self, x):
        return F.relu(self.b(F.relu(self.a(x))) + self.short(x))


def resnet18():
    layers = [conv_bn(3, 64, 7, 2, 3), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    cin = 64
    for s, width in enumerate((64, 128, 256, 512)):
        for b in range(2):
            layers.append(Basic(cin, width, 2 if s > 0 and b == 0 else 1))
            cin = width
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 1000))


batch, warmup, reps = (int(a) for a in sys.argv[1:4])
torch.set_num_threads(2)
torch.manual_seed(0)
model = resnet18().to(memory_format=torch.channels_last).train()
opt = torch.optim.SGD(model.parameters(), lr=0.01)
x = torch.rand(batch, 3, 112, 112).to(memory_format=torch.channels_last)
labels = torch.randint(0, 1000, (batch,))


def step():
    opt.zero_grad(set_to_none=True)
    F.cross_entropy(model(x), labels).backward()
    opt.step()


times = step_times_ms(step, warmup, reps)
params = sum(p.numel() for p in model.parameters())
print(json.dumps({"ms": statistics.median(times), "threads": torch.get_num_threads(), "torch": torch.__version__, "params": params}))
