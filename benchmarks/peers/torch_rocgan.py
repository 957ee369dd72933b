"""PyTorch peer of packages/rocgan/bench/step.bench.mjs: one RoCGAN training iteration (a discriminator step, then a generator step
through both pathways) with the reference's 64x64 layout (packages/rocgan/test/golden/rocgan_torch.py), Adam 2e-4 (0.5, 0.9),
softplus losses, lambda_c = lambda_ae = lambda_pi = 100, lambda_l = 20, projection on the generator side, as the
tfjs run. 2 threads, channels_last. Prints JSON with the median step time in ms.
Usage: python3 torch_rocgan.py <batch> <size> <warmup> <reps>"""
import json
import os
import statistics
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packages", "rocgan", "test", "golden"))
from rocgan_torch import Decoder, Discriminator, Encoder  # noqa: E402
from torch_timing import step_times_ms  # harness.mjs puts peers/ on PYTHONPATH

batch, size, warmup, reps = (int(a) for a in sys.argv[1:5])
channels = [64, 64, 128, 256, 512]
torch.set_num_threads(2)
torch.manual_seed(0)
cl = torch.channels_last
enc, enc_ae, dec = Encoder(channels).to(memory_format=cl), Encoder(channels).to(memory_format=cl), Decoder(channels).to(memory_format=cl)
dis = Discriminator(size).to(memory_format=cl)
opt_g = torch.optim.Adam([*enc.parameters(), *enc_ae.parameters(), *dec.parameters()], 2e-4, betas=(0.5, 0.9))
opt_d = torch.optim.Adam(dis.parameters(), 2e-4, betas=(0.5, 0.9))
y = (torch.rand(batch, 3, size, size) * 2 - 1).to(memory_format=cl)
x = (y * (torch.rand(batch, 1, size, size) > 0.5)).to(memory_format=cl)


def step():
    with torch.no_grad():
        fake = dec(enc(x)[0])
    (real_logit, _), (fake_logit, _) = dis(y), dis(fake)
    loss_d = F.softplus(-real_logit).mean() + F.softplus(fake_logit).mean()
    opt_d.zero_grad(set_to_none=True)
    loss_d.backward()
    opt_d.step()
    lat, _ = enc(x)
    out = dec(lat)
    lat_ae, _ = enc_ae(y)
    rec = dec(lat_ae)
    fake_logit, fake_f = dis(out)
    real_f = dis(y)[1]
    loss_g = (F.softplus(-fake_logit).mean() + 100 * (y - out).abs().mean() + 100 * (y - rec).abs().mean()
              + 20 * (lat - lat_ae).abs().mean() + 100 * (real_f - fake_f).abs().mean())
    opt_g.zero_grad(set_to_none=True)
    loss_g.backward()
    opt_g.step()


times = step_times_ms(step, warmup, reps)
print(json.dumps({"ms": statistics.median(times), "threads": torch.get_num_threads(), "torch": torch.__version__}))
