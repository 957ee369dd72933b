"""PyTorch peer of packages/affwildnet/bench/step.bench.mjs: one training step (forward, CCC loss, backward, Adam update) of AffWildNet
on a batch of clips, the same architecture as the tfjs model: a VGG trunk (conv 3x3 SAME + ReLU, 2x2 max-pools
with SAME padding) on every frame, FC + ReLU on the flattened last pool, 2 stacked GRUs, linear to (valence,
arousal); loss 1 - (CCC_v + CCC_a)/2 over all frames. 2 threads, channels_last. PyTorch's GRU applies the
reset gate after the recurrent product (two biases per gate), a negligible difference in work.
Prints JSON with the median step time in ms.
Usage: python3 torch_affwildnet.py <vgg16|small> <clips> <frames> <size> <warmup> <reps>"""
import json
import statistics
import sys

import torch
from torch import nn

from torch_timing import step_times_ms  # harness.mjs puts peers/ on PYTHONPATH

BLOCKS = {"vgg16": [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]],
          "small": [[8], [16], [32], [32]]}
FC = {"vgg16": 4096, "small": 64}
GRU = {"vgg16": 128, "small": 32}


class AffWildNet(nn.Module):
    def __init__(self, network, size):
        super().__init__()
        layers, c = [], 3
        for block in BLOCKS[network]:
            for f in block:
                layers += [nn.Conv2d(c, f, 3, padding=1), nn.ReLU(inplace=True)]
                c = f
            layers.append(nn.MaxPool2d(2, 2, ceil_mode=True))  # = SAME padding for 2x2/2 pools
            size = (size + 1) // 2
        self.cnn = nn.Sequential(*layers)
        self.fc = nn.Linear(c * size * size, FC[network])
        self.gru = nn.GRU(FC[network], GRU[network], num_layers=2, batch_first=True)
        self.out = nn.Linear(GRU[network], 2)

    def forward(self, x):  # x [B, T, 3, S, S]
        b, t = x.shape[:2]
        f = self.cnn(x.flatten(0, 1).contiguous(memory_format=torch.channels_last))
        f = torch.relu(self.fc(f.flatten(1))).view(b, t, -1)
        return self.out(self.gru(f)[0])


def ccc_loss(y, p):
    y, p = y.reshape(-1, 2), p.reshape(-1, 2)
    my, mp = y.mean(0), p.mean(0)
    cov = ((y - my) * (p - mp)).mean(0)
    ccc = 2 * cov / (y.var(0, unbiased=False) + p.var(0, unbiased=False) + (my - mp) ** 2)
    return 1 - ccc.mean()


network, clips, frames, size, warmup, reps = sys.argv[1], *(int(a) for a in sys.argv[2:7])
torch.set_num_threads(2)
torch.manual_seed(0)
model = AffWildNet(network, size).to(memory_format=torch.channels_last).train()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
x = torch.rand(clips, frames, 3, size, size) * 2 - 1
y = torch.rand(clips, frames, 2) * 2 - 1


def step():
    opt.zero_grad(set_to_none=True)
    ccc_loss(y, model(x)).backward()
    opt.step()


times = step_times_ms(step, warmup, reps)
params = sum(p.numel() for p in model.parameters())
print(json.dumps({"ms": statistics.median(times), "threads": torch.get_num_threads(), "torch": torch.__version__, "params": params}))
