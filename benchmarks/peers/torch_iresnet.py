"""PyTorch peer of packages/arcface/bench/iresnet50.bench.mjs: IR-ResNet-50 (test/golden/iresnet_torch.py) forward + backward, batch 32,
112x112, with the same head and loss as the tfjs run (normalised 1000-class head, ArcFace margin s=64
m=0.5). 2 threads, channels_last (oneDNN's fast path for NHWC-like layouts). Prints JSON with the median
step time in ms. Usage: python3 torch_iresnet.py <batch> <warmup> <reps> [<depth>, default 50]"""
import json
import math
import os
import statistics
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packages", "arcface", "test", "golden"))
from iresnet_torch import UNITS, IResNet  # noqa: E402
from torch_timing import step_times_ms  # harness.mjs puts peers/ on PYTHONPATH

batch, warmup, reps = (int(a) for a in sys.argv[1:4])
depth = int(sys.argv[4]) if len(sys.argv) > 4 else 50
torch.set_num_threads(2)
torch.manual_seed(0)
model = IResNet(UNITS[depth]).to(memory_format=torch.channels_last).train()
centres = torch.nn.Parameter(torch.randn(512, 1000) * 0.01)
x = (torch.rand(batch, 3, 112, 112) * 255 - 127.5) / 128
x = x.to(memory_format=torch.channels_last)
labels = torch.randint(0, 1000, (batch,))


def step():
    model.zero_grad(set_to_none=True)
    centres.grad = None
    cos = F.normalize(model(x)) @ F.normalize(centres, dim=0)
    c = cos.gather(1, labels[:, None]).clamp(-1 + 1e-7, 1 - 1e-7)
    target = torch.where(c > math.cos(math.pi - 0.5), torch.cos(torch.acos(c) + 0.5), c - 0.5 * math.sin(0.5))
    logits = 64 * cos.scatter(1, labels[:, None], target)
    F.cross_entropy(logits, labels).backward()


times = step_times_ms(step, warmup, reps)
print(json.dumps({"ms": statistics.median(times), "threads": torch.get_num_threads(), "torch": torch.__version__}))
