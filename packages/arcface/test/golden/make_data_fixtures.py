"""Fixtures for the .bin and RecordIO readers, written byte by byte as pickle / MXNet would (no mxnet needed).
- pairs-p2.bin: (list of JPEG str, list of bool) as Python 2's pickle.dump(protocol=2) writes it
  (SHORT_BINSTRING/BINSTRING, BINPUT, APPENDS, NEWTRUE/NEWFALSE, TUPLE2), checked with pickle.loads.
- pairs-p4.bin: the same with Python 3 bytes, pickle.dump(protocol=4).
- not-pairs.bin: a pickled dict (must be rejected).
- tiny.rec / tiny.idx: insightface layout: record 0 header (flag 2, label [1, 4]), then 3 images with labels
  0, 0, 1; record 2 is split into cflag 1/3 parts around a magic number in its payload, as dmlc's writer does.
- images.json: the expected pixels (decoded by PIL) of the JPEGs, sizes and labels.
Run: /usr/bin/python3 make_data_fixtures.py"""
import io
import json
import os
import pickle
import struct

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
MAGIC = 0xCED7230A


def jpeg(seed, size=16):
    rng = np.random.default_rng(seed)
    img = np.clip(rng.normal(128, 40, (size, size, 3)), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="JPEG", quality=95)
    return buf.getvalue()


def write(name, data):
    path = os.path.join(HERE, name)
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)


images = [jpeg(i) for i in range(6)]
issame = [True, False, True]

# Python 2 protocol 2: PROTO 2, ( ] q0 ( U/T ... e ] q? ( 0x88/0x89 ... e t? -> TUPLE2 q . (pickle.py's save_tuple)
p2 = bytearray(b"\x80\x02]q\x00(")
memo = 1
for b in images:
    p2 += (b"U" + bytes([len(b)]) if len(b) < 256 else b"T" + struct.pack("<I", len(b))) + b
    p2 += b"q" + bytes([memo])
    memo += 1
p2 += b"e]q" + bytes([memo]) + b"(" + b"".join(b"\x88" if s else b"\x89" for s in issame) + b"e"
p2 += b"\x86q" + bytes([memo + 1]) + b"."
assert pickle.loads(bytes(p2), encoding="bytes") == (images, issame)
write("pairs-p2.bin", bytes(p2))
write("pairs-p4.bin", pickle.dumps((images, issame), protocol=4))
write("not-pairs.bin", pickle.dumps({"bins": images, "issame": issame}, protocol=4))


def header(flag, label, id_=0, id2=0, labels=()):
    return struct.pack("<IfQQ", flag, label, id_, id2) + b"".join(struct.pack("<f", x) for x in labels)


def record(payload, cflag=0):
    pad = (4 - len(payload) % 4) % 4
    return struct.pack("<II", MAGIC, (cflag << 29) | len(payload)) + payload + b"\0" * pad


rec = bytearray()
idx = []
payloads = [header(2, 0.0, labels=(1.0, 4.0))]
labels = [0.0, 0.0, 1.0]
for i, lab in enumerate(labels):
    payloads.append(header(0, lab, id_=i + 1) + images[i])
for key, payload in enumerate(payloads):
    idx.append(f"{key}\t{len(rec)}\n")
    if key == 2:
        # A payload containing the magic is split around it: parts with cflag 1 and 3.
        payload = payload + struct.pack("<I", MAGIC) + b"tail"
        payloads[2] = payload
        first, rest = payload[: len(payload) - 8], payload[len(payload) - 4 :]
        rec += record(first, 1) + record(rest, 3)
    else:
        rec += record(payload)
write("tiny.rec", bytes(rec))
write("tiny.idx", "".join(idx).encode())

decoded = [np.asarray(Image.open(io.BytesIO(b)).convert("RGB")).astype(int).tolist() for b in images]
meta = {"issame": issame, "labels": labels, "pixels": decoded, "rec2tail": "tail", "jpegLengths": [len(b) for b in images]}
write("data-fixtures.json", json.dumps(meta).encode())
