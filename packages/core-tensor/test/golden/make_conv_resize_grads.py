"""Golden gradients for test/conv-resize-grads.test.ts from PyTorch autograd: dilated conv2d (dx, dW) and
bilinear resize (dx), for loss = sum(f(x) * g) with a fixed cotangent g. NHWC in the JSON; tfjs 'same'
padding (odd pixel at the bottom/right) reproduced with F.pad.
Run: /usr/bin/python3 make_conv_resize_grads.py (writes conv_resize_grads.json)."""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

rng = np.random.default_rng(15)
torch.set_default_dtype(torch.float64)


def r(*shape):
    return np.round(rng.normal(0, 1, shape), 4)


def out(t):
    return np.round(t.detach().numpy(), 6).tolist()


def same_pads(size, k, d):
    total = max(0, (k - 1) * d + 1 - 1)  # stride 1: output size = input size
    return total // 2, total - total // 2


conv_cases = [
    # x NHWC, kernel [kh, kw], cout, dilations [dh, dw], pad
    ([2, 9, 7, 3], [3, 3], 4, [2, 2], 'same'),
    ([2, 11, 8, 2], [3, 3], 3, [4, 4], 'same'),
    ([1, 8, 8, 3], [3, 3], 2, [2, 2], 'valid'),
    ([2, 10, 9, 2], [3, 2], 2, [2, 3], 'same'),
    ([3, 12, 7, 2], [3, 3], 2, [3, 1], 'valid'),
]
conv = []
for xs, (kh, kw), cout, (dh, dw), pad in conv_cases:
    x = r(*xs)
    w = r(kh, kw, xs[3], cout) * 0.5
    xt = torch.tensor(x, requires_grad=True)
    wt = torch.tensor(w, requires_grad=True)
    xin = xt.permute(0, 3, 1, 2)
    if pad == 'same':
        t, b = same_pads(xs[1], kh, dh)
        l, rr = same_pads(xs[2], kw, dw)
        xin = F.pad(xin, (l, rr, t, b))
    y = F.conv2d(xin, wt.permute(3, 2, 0, 1), dilation=(dh, dw)).permute(0, 2, 3, 1)
    g = r(*y.shape)
    (y * torch.tensor(g)).sum().backward()
    conv.append({'x': x.tolist(), 'w': w.tolist(), 'dilations': [dh, dw], 'pad': pad, 'dy': g.tolist(),
                 'y': out(y), 'dx': out(xt.grad), 'dw': out(wt.grad)})

resize_cases = [
    # x NHWC, output [h, w], align_corners (False = half-pixel centres, tfjs halfPixelCenters)
    ([2, 3, 5, 2], [17, 33], True),
    ([2, 5, 3, 3], [33, 17], True),
    ([3, 4, 4, 2], [25, 25], True),
    ([2, 3, 5, 2], [24, 40], False),
    ([2, 7, 4, 1], [5, 9], False),
]
resize = []
for xs, size, align in resize_cases:
    x = r(*xs)
    xt = torch.tensor(x, requires_grad=True)
    y = F.interpolate(xt.permute(0, 3, 1, 2), size=size, mode='bilinear', align_corners=align).permute(0, 2, 3, 1)
    g = r(*y.shape)
    (y * torch.tensor(g)).sum().backward()
    resize.append({'x': x.tolist(), 'size': size, 'alignCorners': align, 'dy': g.tolist(),
                   'y': out(y), 'dx': out(xt.grad)})

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'conv_resize_grads.json')
with open(path, 'w') as f:
    json.dump({'torch': torch.__version__, 'conv': conv, 'resize': resize}, f)
print('wrote', path)
