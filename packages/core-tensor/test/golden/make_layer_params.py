"""Golden file for test/layers.test.ts, from PyTorch modules written to the layouts the layers claim.

Writes layer-params.json:
  params:   trainable parameter and BN running-statistic counts of PyTorch equivalents of irBlock,
            basicBlock, bottleneckBlock, vggStack and resnet50Features;
  forwards: blocks with seeded random weights (PyTorch layout, PyTorch names), an NHWC input and the
            inference-mode output (NHWC), for the forward-pass checks.
Run: /usr/bin/python3 test/golden/make_layer_params.py   (torch 1.13, numpy)
"""
import json
import os

import numpy as np
import torch
from torch import nn

torch.set_default_dtype(torch.float64)  # the reference is computed in float64; tfjs runs float32


def bn(c, eps):
    return nn.BatchNorm2d(c, eps=eps)


class ConvBn(nn.Sequential):
    def __init__(self, cin, cout, k, stride, pad, eps):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, pad, bias=False)
        self.bn = bn(cout, eps)


def shortcut(cin, cout, stride, eps):
    return ConvBn(cin, cout, 1, stride, 0, eps) if stride != 1 or cin != cout else nn.Identity()


class IRBlock(nn.Module):
    """insightface residual_unit_v3: BN-conv3-BN-PReLU-conv3(stride)-BN + shortcut, no final activation."""

    def __init__(self, cin, f, stride, eps=2e-5):
        super().__init__()
        self.bn0 = bn(cin, eps)
        self.conv1 = nn.Conv2d(cin, f, 3, 1, 1, bias=False)
        self.bn1 = bn(f, eps)
        self.prelu = nn.PReLU(f)
        self.conv2 = nn.Conv2d(f, f, 3, stride, 1, bias=False)
        self.bn2 = bn(f, eps)
        self.short = shortcut(cin, f, stride, eps)

    def forward(self, x):
        y = self.bn2(self.conv2(self.prelu(self.bn1(self.conv1(self.bn0(x))))))
        return y + self.short(x)


class BasicBlock(nn.Module):
    def __init__(self, cin, f, stride, eps=1e-5):
        super().__init__()
        self.c1 = ConvBn(cin, f, 3, stride, 1, eps)
        self.c2 = ConvBn(f, f, 3, 1, 1, eps)
        self.short = shortcut(cin, f, stride, eps)

    def forward(self, x):
        return torch.relu(self.c2(torch.relu(self.c1(x))) + self.short(x))


class Bottleneck(nn.Module):
    """ResNet v1 bottleneck with the stride on the 3x3 convolution, expansion 4."""

    def __init__(self, cin, f, stride, eps=1e-5):
        super().__init__()
        self.c1 = ConvBn(cin, f, 1, 1, 0, eps)
        self.c2 = ConvBn(f, f, 3, stride, 1, eps)
        self.c3 = ConvBn(f, 4 * f, 1, 1, 0, eps)
        self.short = shortcut(cin, 4 * f, stride, eps)

    def forward(self, x):
        y = self.c3(torch.relu(self.c2(torch.relu(self.c1(x)))))
        return torch.relu(y + self.short(x))


def vgg(cin, blocks):
    layers = []
    for convs in blocks:
        for f in convs:
            layers += [nn.Conv2d(cin, f, 3, 1, 1), nn.ReLU()]
            cin = f
        layers.append(nn.MaxPool2d(2, 2, ceil_mode=True))
    return nn.Sequential(*layers)


def resnet50_features(cin=3):
    layers = [ConvBn(cin, 64, 7, 2, 3, 1e-5), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    c = 64
    for s, (n, f) in enumerate([(3, 64), (4, 128), (6, 256), (3, 512)]):
        for b in range(n):
            layers.append(Bottleneck(c, f, 2 if s > 0 and b == 0 else 1))
            c = 4 * f
    layers.append(nn.AdaptiveAvgPool2d(1))
    return nn.Sequential(*layers)


VGG16 = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]]


def counts(m):
    params = sum(p.numel() for p in m.parameters())
    stats = sum(b.numel() for n, b in m.named_buffers() if n.endswith(('running_mean', 'running_var')))
    return {'params': params, 'bnStats': stats}


PARAM_CASES = [
    ('irBlock', {'inChannels': 8, 'filters': 8, 'strides': 1}, lambda: IRBlock(8, 8, 1)),
    ('irBlock', {'inChannels': 8, 'filters': 16, 'strides': 2}, lambda: IRBlock(8, 16, 2)),
    ('irBlock', {'inChannels': 64, 'filters': 128, 'strides': 2}, lambda: IRBlock(64, 128, 2)),
    ('basicBlock', {'inChannels': 8, 'filters': 8, 'strides': 1}, lambda: BasicBlock(8, 8, 1)),
    ('basicBlock', {'inChannels': 64, 'filters': 128, 'strides': 2}, lambda: BasicBlock(64, 128, 2)),
    ('bottleneckBlock', {'inChannels': 16, 'filters': 4, 'strides': 1}, lambda: Bottleneck(16, 4, 1)),
    ('bottleneckBlock', {'inChannels': 64, 'filters': 64, 'strides': 1}, lambda: Bottleneck(64, 64, 1)),
    ('bottleneckBlock', {'inChannels': 256, 'filters': 128, 'strides': 2}, lambda: Bottleneck(256, 128, 2)),
    ('vggStack', {'inChannels': 3, 'blocks': [[4, 4], [8]]}, lambda: vgg(3, [[4, 4], [8]])),
    ('vggStack', {'inChannels': 3, 'blocks': VGG16}, lambda: vgg(3, VGG16)),
    ('resnet50Features', {'inChannels': 3}, lambda: resnet50_features(3)),
]


def randomise(m, rng):
    """Seeded weights; BN running statistics too, so inference-mode normalisation is exercised."""
    with torch.no_grad():
        for name, p in m.named_parameters():
            if name.endswith('prelu.weight'):
                p.copy_(torch.from_numpy(rng.uniform(0.05, 0.5, p.shape)))
            elif 'bn' in name and name.endswith('weight'):
                p.copy_(torch.from_numpy(rng.uniform(0.5, 1.5, p.shape)))
            else:
                p.copy_(torch.from_numpy(rng.normal(0, 0.3, p.shape)))
        for name, b in m.named_buffers():
            if name.endswith('running_mean'):
                b.copy_(torch.from_numpy(rng.normal(0, 0.5, b.shape)))
            elif name.endswith('running_var'):
                b.copy_(torch.from_numpy(rng.uniform(0.5, 2.0, b.shape)))


FORWARD_CASES = [
    ('irBlock', {'inChannels': 3, 'filters': 4, 'strides': 2}, [2, 7, 7, 3], lambda: IRBlock(3, 4, 2)),
    ('irBlock', {'inChannels': 4, 'filters': 4, 'strides': 1}, [1, 5, 5, 4], lambda: IRBlock(4, 4, 1)),
    ('bottleneckBlock', {'inChannels': 4, 'filters': 2, 'strides': 2}, [1, 6, 6, 4], lambda: Bottleneck(4, 2, 2)),
    ('basicBlock', {'inChannels': 3, 'filters': 4, 'strides': 2}, [2, 6, 6, 3], lambda: BasicBlock(3, 4, 2)),
    # odd sizes: ceil_mode pooling is tfjs's 'same' 2x2/2 max-pool
    ('vggStack', {'inChannels': 2, 'blocks': [[3, 3], [4]]}, [1, 5, 5, 2], lambda: vgg(2, [[3, 3], [4]])),
]


def tensors(m):
    out = {n: p.detach().numpy().tolist() for n, p in m.named_parameters()}
    out.update({n: b.numpy().tolist() for n, b in m.named_buffers() if not n.endswith('num_batches_tracked')})
    return out


def main():
    rng = np.random.RandomState(20260128)
    params = [{'block': b, 'config': c, **counts(make())} for b, c, make in PARAM_CASES]
    forwards = []
    for block, config, shape, make in FORWARD_CASES:
        m = make().eval()
        randomise(m, rng)
        x = rng.normal(0, 1, shape)
        with torch.no_grad():
            y = m(torch.from_numpy(x).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()
        forwards.append({'block': block, 'config': config, 'weights': tensors(m),
                         'input': x.tolist(), 'output': y.tolist()})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'layer-params.json')
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump({'source': 'make_layer_params.py, torch ' + torch.__version__,
                   'params': params, 'forwards': forwards}, f)
    os.replace(tmp, path)


if __name__ == '__main__':
    main()
