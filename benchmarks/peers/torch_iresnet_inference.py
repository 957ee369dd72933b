"""PyTorch peer of packages/arcface/bench/iresnet-inference.bench.mjs: IR-ResNet inference (test/golden/iresnet_torch.py,
eval mode, no grad), batch B, 112x112, 2 threads, channels_last (oneDNN). Times the eager forward pass, then
exports the same network with torch.onnx.export (eval mode: batch norms folded into the convolutions,
opset 17, input 'image' [B, 3, 112, 112] NCHW) to <onnx path> for the Node side to time in onnxruntime-node.
Prints JSON with the median and best forward time in ms.
Usage: python3 torch_iresnet_inference.py <batch> <warmup> <reps> <depth> <onnx path>"""
import json
import os
import statistics
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packages", "arcface", "test", "golden"))
from iresnet_torch import UNITS, IResNet  # noqa: E402
from torch_timing import step_times_ms  # harness.mjs puts peers/ on PYTHONPATH

batch, warmup, reps, depth = (int(a) for a in sys.argv[1:5])
onnx_path = sys.argv[5]
torch.set_num_threads(2)
torch.manual_seed(0)
model = IResNet(UNITS[depth]).eval()
x = (torch.rand(batch, 3, 112, 112) * 255 - 127.5) / 128
eager = model.to(memory_format=torch.channels_last)
xc = x.contiguous(memory_format=torch.channels_last)


def step():
    with torch.no_grad():
        eager(xc)


times = step_times_ms(step, warmup, reps)
model = model.to(memory_format=torch.contiguous_format)
with torch.no_grad():
    torch.onnx.export(model, x, onnx_path, opset_version=17, input_names=["image"], output_names=["embedding"], do_constant_folding=True)
print(json.dumps({"ms": statistics.median(times), "bestMs": min(times), "threads": torch.get_num_threads(), "torch": torch.__version__, "onnxExported": True}))
