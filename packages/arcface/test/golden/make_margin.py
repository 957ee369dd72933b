"""Golden margin logits, cross-entropy and its gradient w.r.t. the cosines, computed with PyTorch autograd
in float64 from the acos form (theta = acos c; target s*(cos(m1*theta + m2) - m3), insightface's fallback
c - m2*sin(m2) where c <= cos(pi - m2) for ArcFace, easy margin where c <= 0). Writes margin.json.
Run: /usr/bin/python3 make_margin.py"""
import json
import math
import os

import torch

torch.manual_seed(5)
torch.set_default_dtype(torch.float64)

CASES = [
    {"name": "softmax", "s": 64, "m1": 1, "m2": 0, "m3": 0, "easyMargin": False},
    {"name": "arcface", "s": 64, "m1": 1, "m2": 0.5, "m3": 0, "easyMargin": False},
    {"name": "arcface-easy", "s": 64, "m1": 1, "m2": 0.5, "m3": 0, "easyMargin": True},
    {"name": "cosface", "s": 64, "m1": 1, "m2": 0, "m3": 0.35, "easyMargin": False},
    {"name": "combined", "s": 64, "m1": 1, "m2": 0.3, "m3": 0.2, "easyMargin": False},
    {"name": "sphereface", "s": 30, "m1": 1.35, "m2": 0, "m3": 0, "easyMargin": False},
    {"name": "all-three", "s": 32, "m1": 1.2, "m2": 0.25, "m3": 0.1, "easyMargin": False},
]


def target_fn(c, case):
    m1, m2, m3 = case["m1"], case["m2"], case["m3"]
    theta = torch.acos(c)
    if m1 == 1 and m3 == 0:
        phi = torch.cos(theta + m2)
        if case["easyMargin"]:
            return torch.where(c > 0, phi, c)
        return torch.where(c > math.cos(math.pi - m2), phi, c - m2 * math.sin(m2))
    if m1 == 1 and m2 == 0:
        return c - m3
    return torch.cos(m1 * theta + m2) - m3


def run(cos, labels, case):
    cos = cos.clone().requires_grad_(True)
    onehot = torch.nn.functional.one_hot(labels, cos.shape[1]).to(cos.dtype)
    t = target_fn((cos * onehot).sum(1), case)
    logits = case["s"] * (cos * (1 - onehot) + onehot * t[:, None])
    loss = torch.nn.functional.cross_entropy(logits, labels)
    loss.backward()
    return logits.detach(), loss.item(), cos.grad


B, C = 12, 7
# Random cosines in (-0.995, 0.995); targets spread over the whole range incl. both sides of cos(pi - 0.5).
cos = torch.rand(B, C) * 1.99 - 0.995
labels = torch.randint(0, C, (B,))
targets = torch.tensor([-0.99, -0.90, -0.88, -0.85, -0.5, -0.1, 0.05, 0.3, 0.6, 0.9, 0.96214, 0.995])
cos[torch.arange(B), labels] = targets

out = {"cos": cos.tolist(), "labels": labels.tolist(), "cases": []}
for case in CASES:
    logits, loss, grad = run(cos, labels, case)
    out["cases"].append({**case, "logits": logits.tolist(), "loss": loss, "grad": grad.tolist()})

# The worked example: cosines [0.3, 0.2, 0.1, -0.1], label 0, s = 64.
worked = torch.tensor([[0.3, 0.2, 0.1, -0.1]])
out["worked"] = {
    name: run(worked, torch.tensor([0]), case)[1]
    for name, case in [
        ("softmax", CASES[0]),
        ("arcface", CASES[1]),
        ("cosface", CASES[3]),
        ("combined", CASES[4]),
    ]
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "margin.json")
with open(path + ".tmp", "w") as f:
    json.dump(out, f)
os.replace(path + ".tmp", path)
print(out["worked"])
