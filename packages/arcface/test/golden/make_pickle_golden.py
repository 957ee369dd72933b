"""Pickles of verification pairs as Python 3 itself writes them, for the .bin reader's protocol coverage.
- pairs-py3-p2.bin: pickle.dumps((images, issame), protocol=2). Python 3 writes bytes in protocol 2 as
  GLOBAL '_codecs encode' + REDUCE of (the bytes as a latin-1 str, 'latin1'); the GLOBAL is memoised and
  fetched again with BINGET for the next image. The reader must accept exactly this global.
- pairs-py3-p3.bin, pairs-py3-p5.bin: the same in protocols 3 (BINBYTES) and 5 (FRAME, SHORT_BINBYTES).
- py3-p2-str.bin: images as str (rejected: not byte strings).
- py3-p2-empty-bytes.bin: an empty bytes object, which protocol 2 writes as GLOBAL '__builtin__ bytes' (rejected:
  the only global allowed is _codecs.encode).
The image bytes are image(i) below (every byte value 0..255 occurs, so latin-1 decoding is exercised).
Run: /usr/bin/python3 make_pickle_golden.py"""
import pickle
from pathlib import Path

HERE = Path(__file__).resolve().parent


def image(i):
    return bytes((i * 37 + k * 11) % 256 for k in range(40 + 60 * i))


def write(name, data):
    (HERE / name).write_bytes(data)


images = [image(i) for i in range(6)]
issame = [True, False, True]
for protocol in (2, 3, 5):
    data = pickle.dumps((images, issame), protocol=protocol)
    assert pickle.loads(data) == (images, issame)
    write(f"pairs-py3-p{protocol}.bin", data)
assert b"_codecs\nencode" in (HERE / "pairs-py3-p2.bin").read_bytes()
write("py3-p2-str.bin", pickle.dumps(([b.decode("latin-1") for b in images[:2]], [True]), protocol=2))
write("py3-p2-empty-bytes.bin", pickle.dumps(([b"", images[0]], [False]), protocol=2))
