"""IR-ResNet in PyTorch, written from the ArcFace paper / insightface layout for facelab's reference checks:
stem conv3x3(64, stride 1, no bias) + BN + PReLU; stages of IR units (BN, conv3x3, BN, PReLU, conv3x3(stride),
BN, + identity or conv1x1(stride)+BN shortcut), first unit of each stage with stride 2; head BN, dropout,
flatten (C*H*W order), FC, BN with weight fixed to 1. BN eps 1e-5 as arcface_torch."""
import torch
from torch import nn

UNITS = {18: [2, 2, 2, 2], 34: [3, 4, 6, 3], 50: [3, 4, 14, 3], 100: [3, 13, 30, 3]}
EPS = 1e-5


class IRUnit(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin, eps=EPS)
        self.conv1 = nn.Conv2d(cin, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout, eps=EPS)
        self.prelu = nn.PReLU(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, stride, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout, eps=EPS)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout, eps=EPS))

    def forward(self, x):
        out = self.bn3(self.conv2(self.prelu(self.bn2(self.conv1(self.bn1(x))))))
        identity = x if self.downsample is None else self.downsample(x)
        return out + identity


class IResNet(nn.Module):
    def __init__(self, units, widths=(64, 64, 128, 256, 512), input_size=112, embedding_size=512, dropout=0.0):
        super().__init__()
        self.conv1 = nn.Conv2d(3, widths[0], 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0], eps=EPS)
        self.prelu = nn.PReLU(widths[0])
        layers, cin = [], widths[0]
        for n, cout in zip(units, widths[1:]):
            for u in range(n):
                layers.append(IRUnit(cin, cout, 2 if u == 0 else 1))
                cin = cout
        self.layers = nn.Sequential(*layers)
        self.bn2 = nn.BatchNorm2d(cin, eps=EPS)
        self.dropout = nn.Dropout(dropout)
        side = input_size // 16
        self.fc = nn.Linear(cin * side * side, embedding_size)
        self.features = nn.BatchNorm1d(embedding_size, eps=EPS)
        nn.init.constant_(self.features.weight, 1.0)
        self.features.weight.requires_grad = False

    def forward(self, x):
        x = self.prelu(self.bn1(self.conv1(x)))
        x = self.bn2(self.layers(x))
        x = self.dropout(torch.flatten(x, 1))
        return self.features(self.fc(x))


SMALL = dict(units=[1, 1, 1, 1], widths=(16, 16, 32, 64, 128), input_size=32, embedding_size=64)


def counts(model):
    """Trainable parameters (not the fixed features.weight), and all state: every parameter plus the BN
    running statistics (not the num_batches_tracked counters)."""
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    params = sum(p.numel() for p in model.parameters())
    buffers = sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))
    return {"trainable": trainable, "total": params + buffers}
