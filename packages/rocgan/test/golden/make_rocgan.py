"""Goldens for @facelab/rocgan, made with PyTorch (run: /usr/bin/python3 make_rocgan.py; writes rocgan.json).

- Parameter counts of the reference layout (encoder, decoder, discriminator; Chainer's conv/deconv with bias,
  batch norm with scale+shift in G and scale only in D) built in PyTorch, for the 64x64 reference config and
  the small 32x32 config the tests and the demo use, with and without skips.
- The issue's worked loss values recomputed with torch's softplus / L1.
- DeCov (Cogswell et al. 2016) of a fixed latent batch, from its definition.
- SSIM of an image pair by the reference's RGBSSIM formula, its true MAE and the reference's wrap-around MAE.
"""
import json
import os

import torch
import torch.nn.functional as F

from rocgan_torch import Decoder, Discriminator, Encoder, count


def shapes_of_forward(channels, size):
    latent, skips = Encoder(channels).eval()(torch.zeros(2, 3, size, size))
    return [s.shape[-1] for s in skips[::-1]] + [latent.shape[-1]], latent.shape[1]


def config(size, channels, skips):
    d = Discriminator(size)
    enc_sizes, latent = shapes_of_forward(channels, size)
    return {
        'imageSize': size,
        'channels': channels,
        'skips': skips,
        'enc': count(Encoder(channels)),
        'dec': count(Decoder(channels, skips=skips)),
        'dis': count(d),
        'disFeatures': d.features,
        'encoderSizes': enc_sizes,
        'latentChannels': latent,
    }


def worked_losses():
    real = torch.tensor([2.0, -1.0])
    fake = torch.tensor([0.5, -0.5])
    d_adv = F.softplus(-real).mean() + F.softplus(fake).mean()
    g_adv = F.softplus(-fake).mean()
    g_total = g_adv + 100 * 0.175 + 100 * 0.05 + 20 * (0.35 / 3)
    d_total = d_adv + 100 * 0.5
    return {'dAdv': d_adv.item(), 'gAdv': g_adv.item(), 'gTotal': g_total.item(), 'dTotal': d_total.item()}


def decov():
    g = torch.Generator().manual_seed(0)
    h = torch.randn(5, 4, generator=g, dtype=torch.float64)
    c = (h - h.mean(0, keepdim=True))
    cov = c.t() @ c / h.shape[0]
    value = 0.5 * ((cov ** 2).sum() - (torch.diagonal(cov) ** 2).sum())
    return {'latent': h.tolist(), 'value': value.item()}


def gaussian_window(size=11, sigma=1.5):
    x = torch.linspace(-(size - 1) / 2, (size - 1) / 2, size, dtype=torch.float64)
    g = torch.exp(-(x * x) / (2 * sigma * sigma))
    w = g[:, None] * g[None, :]
    return (w / w.sum()).reshape(1, 1, size, size)


def reference_rgb_ssim(a, b):
    """The reference's RGBSSIM (source/functions/msssim.py): valid 11x11 Gaussian conv, max_val 1 on /255 images."""
    w = gaussian_window()
    c1, c2 = (0.01 * 1) ** 2, (0.03 * 1) ** 2
    out = []
    for ch in range(3):
        x0 = (a[:, :, ch] / 255.0)[None, None]
        x1 = (b[:, :, ch] / 255.0)[None, None]
        mu0, mu1 = F.conv2d(x0, w), F.conv2d(x1, w)
        s00 = F.conv2d(x0 * x0, w) - mu0 * mu0
        s11 = F.conv2d(x1 * x1, w) - mu1 * mu1
        s01 = F.conv2d(x0 * x1, w) - mu0 * mu1
        m = ((2 * mu0 * mu1 + c1) * (2 * s01 + c2)) / ((mu0 * mu0 + mu1 * mu1 + c1) * (s00 + s11 + c2))
        out.append(m.mean().item())
    return sum(out) / 3


def image_metrics():
    """A pair of 16x16 RGB uint8 images: the reference's SSIM, the true MAE, the reference's wrap-around MAE, PSNR."""
    g = torch.Generator().manual_seed(1)
    a = torch.randint(0, 256, (16, 16, 3), generator=g, dtype=torch.int64)
    b = (a + torch.randint(-40, 41, (16, 16, 3), generator=g)).clamp(0, 255)
    a8, b8 = a.to(torch.uint8), b.to(torch.uint8)
    wrapped = (a8 - b8).abs().double().mean().item()  # uint8 subtraction wraps around, as numpy's in the reference
    af, bf = a.double(), b.double()
    mse = ((af - bf) ** 2).mean().item()
    return {
        'a': a.flatten().tolist(),
        'b': b.flatten().tolist(),
        'ssim': reference_rgb_ssim(af, bf),
        'mae': (af - bf).abs().mean().item(),
        'maeWrapped': wrapped,
        'psnr': 10 * torch.log10(torch.tensor(255.0 ** 2 / mse, dtype=torch.float64)).item(),
    }


def main():
    out = {
        'configs': [
            config(64, [64, 64, 128, 256, 512], False),
            config(64, [64, 64, 128, 256, 512], True),
            config(32, [16, 32, 64, 128], False),
        ],
        'losses': worked_losses(),
        'decov': decov(),
        'imageMetrics': image_metrics(),
        'torch': torch.__version__,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'rocgan.json')
    with open(path, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
