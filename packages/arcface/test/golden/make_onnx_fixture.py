"""A tiny IR-ResNet (iresnet_torch.py; widths 8/8/16/16/32, units 1/2/1/1, 32x32 input, 16-d) with random
weights and BN statistics, exported by torch.onnx.export twice: eval mode with BN folded into the convolutions
(tiny-iresnet.onnx, like insightface's released models) and with every BN kept (tiny-iresnet-bn.onnx,
do_constant_folding=False). Writes PyTorch's embeddings of seeded pixel images to tiny-iresnet.json.
Run: /usr/bin/python3 make_onnx_fixture.py"""
import json
import os

import torch

from iresnet_torch import IResNet

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = dict(units=[1, 2, 1, 1], widths=(8, 8, 16, 16, 32), input_size=32, embedding_size=16)

torch.manual_seed(11)
model = IResNet(**CONFIG)
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, (torch.nn.BatchNorm2d, torch.nn.BatchNorm1d)):
            m.running_mean.uniform_(-0.3, 0.3)
            m.running_var.uniform_(0.5, 1.5)
            if m is not model.features:
                m.weight.uniform_(0.6, 1.4)
            m.bias.uniform_(-0.2, 0.2)
        if isinstance(m, torch.nn.PReLU):
            m.weight.uniform_(0.05, 0.5)
model.eval()

pixels = torch.randint(0, 256, (3, 32, 32, 3), generator=torch.Generator().manual_seed(3)).float()  # NHWC
x = ((pixels - 127.5) / 128).permute(0, 3, 1, 2).contiguous()
with torch.no_grad():
    emb = model(x)


def export(name, **kw):
    path = os.path.join(HERE, name)
    torch.onnx.export(model, x[:1], path + ".tmp", input_names=["input.1"], output_names=["embedding"],
                      opset_version=11, dynamic_axes={"input.1": {0: "batch"}}, **kw)
    os.replace(path + ".tmp", path)


export("tiny-iresnet.onnx", do_constant_folding=True)
export("tiny-iresnet-bn.onnx", do_constant_folding=False, training=torch.onnx.TrainingMode.PRESERVE)

out = {"config": {**CONFIG, "widths": list(CONFIG["widths"])}, "pixels": pixels.tolist(), "embeddings": emb.tolist()}
with open(os.path.join(HERE, "tiny-iresnet.json.tmp"), "w") as f:
    json.dump(out, f)
os.replace(os.path.join(HERE, "tiny-iresnet.json.tmp"), os.path.join(HERE, "tiny-iresnet.json"))
print("embedding norms", emb.norm(dim=1).tolist())
