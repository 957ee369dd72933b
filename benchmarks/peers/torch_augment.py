"""PyTorch peer of packages/augment/bench/fit.bench.mjs: the same transformation network (encoder: stride-2
conv3x3 + ReLU per level, flatten, linear to the latents; decoder: linear + ReLU, reshape, nearest x2 upsampling
+ conv3x3 + ReLU per level, conv3x3 + sigmoid; latent model: a d x d linear layer with bias), timed for one
training step on a batch of frame pairs (reconstruction + normalised transition + prediction losses, backward,
Adam) and for generating k = -2..2 (A^k as matrix powers, A^-1 by inversion) for a batch of images.
2 threads, channels_last. Prints JSON with the median times in ms.
Usage: python3 torch_augment.py <size> <batch> <latent> <filters,comma,separated> <warmup> <reps> <generate>"""
import json
import statistics
import sys

import torch
from torch import nn

from torch_timing import step_times_ms  # harness.mjs puts peers/ on PYTHONPATH


class Transformation(nn.Module):
    def __init__(self, size, latent, filters):
        super().__init__()
        enc, c = [], 3
        for f in filters:
            enc += [nn.Conv2d(c, f, 3, stride=2, padding=1), nn.ReLU(inplace=True)]
            c = f
        self.enc = nn.Sequential(*enc)
        self.grid = size // 2 ** len(filters)
        self.to_latent = nn.Linear(c * self.grid * self.grid, latent)
        self.from_latent = nn.Linear(latent, c * self.grid * self.grid)
        dec = []
        for i in range(len(filters) - 1, -1, -1):
            dec += [nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c, filters[i], 3, padding=1), nn.ReLU(inplace=True)]
            c = filters[i]
        dec += [nn.Conv2d(c, 3, 3, padding=1), nn.Sigmoid()]
        self.dec = nn.Sequential(*dec)
        self.last = filters[-1]
        self.A = nn.Linear(latent, latent)

    def encode(self, x):
        return self.to_latent(self.enc(x.contiguous(memory_format=torch.channels_last)).flatten(1))

    def decode(self, z):
        h = torch.relu(self.from_latent(z)).view(-1, self.last, self.grid, self.grid)
        return self.dec(h.contiguous(memory_format=torch.channels_last))


size, batch, latent = (int(a) for a in sys.argv[1:4])
filters = [int(f) for f in sys.argv[4].split(",")]
warmup, reps, generate = (int(a) for a in sys.argv[5:8])
torch.set_num_threads(2)
torch.manual_seed(0)
net = Transformation(size, latent, filters).to(memory_format=torch.channels_last).train()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
x0, x1 = torch.rand(batch, 3, size, size), torch.rand(batch, 3, size, size)


def step():
    opt.zero_grad(set_to_none=True)
    z0, z1 = net.encode(x0), net.encode(x1)
    zhat = net.A(z0)
    rec = ((net.decode(z0) - x0) ** 2).mean()
    tr = ((z1 - zhat) ** 2).sum() / (((z1 - z1.mean(0, keepdim=True)) ** 2).sum() + 1e-8)
    pred = ((net.decode(zhat) - x1) ** 2).mean()
    (rec + 0.01 * tr + pred).backward()
    opt.step()


images = torch.rand(generate, 3, size, size)


def gen():
    with torch.no_grad():
        h = torch.eye(latent + 1, dtype=torch.float64)
        h[:latent, :latent] = net.A.weight.double()
        h[:latent, latent] = net.A.bias.double()
        z = net.encode(images)
        zs = []
        for k in range(-2, 3):
            p = torch.linalg.matrix_power(h, k).float()
            zs.append(z @ p[:latent, :latent].T + p[:latent, latent])
        net.decode(torch.cat(zs)).sum().item()


step_ms = statistics.median(step_times_ms(step, warmup, reps))
net.eval()
gen_ms = statistics.median(step_times_ms(gen, warmup, reps))
print(json.dumps({"stepMs": step_ms, "generateMs": gen_ms, "threads": torch.get_num_threads(), "torch": torch.__version__}))
