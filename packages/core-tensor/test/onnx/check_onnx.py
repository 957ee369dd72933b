"""Checks ONNX files written by core-tensor's exportOnnx / saveOnnx with the reference tools, where installed.

Usage: python3 check_onnx.py model.onnx [more.onnx ...]

For each file: onnx.checker.check_model(full_check=True) (structure, operator schemas for the declared opset,
and strict shape inference), then the shapes inference gives the outputs compared with the declared ones; and,
where the Python onnxruntime package is installed, one run on random inputs (sizes named at run time set to
2) whose output shapes must match. Prints one line per file and exits 1 when any check fails.

Requires the `onnx` Python package (Debian: `apt-get install python3-onnx`, 1.12: opsets up to 17, the
exporter's default). Not needed by the tests: they compare onnxruntime-node's outputs with tfjs's.
"""
import sys
from collections import Counter

import numpy as np
import onnx
from onnx import shape_inference


def dims(value_info):
    return [d.dim_param if d.dim_param else d.dim_value for d in value_info.type.tensor_type.shape.dim]


def check(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    inferred = shape_inference.infer_shapes(model, strict_mode=True)
    declared = {o.name: dims(o) for o in model.graph.output}
    # What inference derives for the values the outputs are made from, against what the file declares: same
    # rank, and the same size wherever both are numbers.
    known = {v.name: dims(v) for v in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output)}
    producer = {out: n for n in model.graph.node for out in n.output}
    for name, want in declared.items():
        node = producer.get(name)
        source = node.input[0] if node is not None and node.op_type == "Identity" else name
        got = known.get(source)
        if got is None:
            raise ValueError(f"output {name}: shape inference gives no shape for {source}")
        if len(got) != len(want) or any(isinstance(g, int) and isinstance(w, int) and g and g != w for g, w in zip(got, want)):
            raise ValueError(f"output {name}: inferred {got}, declared {want}")
    opset = next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    ops = Counter(n.op_type for n in model.graph.node)
    ran = "onnxruntime (Python) not installed: not run"
    try:
        import onnxruntime as ort  # noqa: PLC0415 - optional
    except ImportError:
        ort = None
    if ort is not None:
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        rng = np.random.default_rng(0)
        feeds = {i.name: rng.standard_normal([d if isinstance(d, int) else 2 for d in i.shape]).astype(np.float32) for i in session.get_inputs()}
        outs = session.run(None, feeds)
        for o, value in zip(session.get_outputs(), outs):
            want = [d if isinstance(d, int) else None for d in o.shape]
            if any(w is not None and w != v for w, v in zip(want, value.shape)) or len(want) != value.ndim:
                raise ValueError(f"onnxruntime output {o.name} has shape {list(value.shape)}, declared {o.shape}")
            if not np.all(np.isfinite(value)):
                raise ValueError(f"onnxruntime output {o.name} is not finite")
        ran = f"onnxruntime {ort.__version__}: ran, output shapes as declared"
    inputs = ", ".join(f"{i.name} {dims(i)}" for i in model.graph.input if i.name not in {t.name for t in model.graph.initializer})
    outputs = ", ".join(f"{k} {v}" for k, v in declared.items())
    top = ", ".join(f"{k}×{v}" for k, v in ops.most_common(6))
    print(f"OK {path}: IR {model.ir_version}, opset {opset}, {len(model.graph.node)} nodes ({top}); in {inputs}; out {outputs}; checker full_check passed; {ran}")


def main(paths):
    if not paths:
        print(__doc__)
        return 2
    failed = 0
    for path in paths:
        try:
            check(path)
        except Exception as err:  # noqa: BLE001 - report every file
            failed += 1
            print(f"FAIL {path}: {type(err).__name__}: {err}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
