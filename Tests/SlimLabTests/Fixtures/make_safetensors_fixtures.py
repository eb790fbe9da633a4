"""Writes the safetensors fixtures in safetensors/ (run once; the files are committed).

    /tmp/anchorenv/bin/pip install numpy ml_dtypes safetensors
    /tmp/anchorenv/bin/python Tests/SlimLabTests/Fixtures/make_safetensors_fixtures.py

Generated with safetensors 0.8.0, numpy 2.4, ml_dtypes 0.6. The good files come from the
`safetensors` package itself; the broken ones are assembled byte by byte, one problem each.
"""
import json
import os
import struct

import ml_dtypes
import numpy as np
from safetensors.numpy import save

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "safetensors")


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


# Several dtypes, exact values chosen to catch byte-order and width mistakes. One metadata key:
# the Rust writer emits metadata in hash order, so with one key the bytes are reproducible.
mixed = {
    "weight": np.array([[-1.5, 0.0, 0.25], [3.4028235e38, -1e-45, 1 / 3]], dtype=np.float32),
    "scales": np.array([0.5, -2.0, 65504.0], dtype=np.float16),
    "codes": np.array([[-128, -1], [0, 127]], dtype=np.int8),
    "pixels": np.array([0, 1, 128, 255], dtype=np.uint8),
    "counts": np.array([-2147483648, 2147483647], dtype=np.int32),
    "steps": np.array(1234567890123, dtype=np.int64),
    "empty": np.zeros((0, 4), dtype=np.float32),
    "mask": np.array([True, False, True]),
    "brain": np.array([1.0, -0.5], dtype=ml_dtypes.bfloat16),
    "precise": np.array([0.1, 1e300], dtype=np.float64),
}
write("python-mixed.safetensors", save(mixed, metadata={"format": "slimlab-fixture"}))

# Metadata with several keys, non-ASCII text and characters that JSON escapes.
write("python-metadata.safetensors", save(
    {"x": np.array([1.0, 2.0], dtype=np.float32)},
    metadata={"architecture": "mlp 64-64-10", "note": "café \"quoted\"\nline\ttab", "empty": ""}))


def assemble(header, data=b"", pad=True):
    """8-byte little-endian length, the header text (padded with spaces to 8), the data."""
    text = header if isinstance(header, bytes) else json.dumps(header, separators=(",", ":")).encode()
    if pad:
        text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data


def entry(dtype, shape, begin, end):
    return {"dtype": dtype, "shape": shape, "data_offsets": [begin, end]}


four_floats = struct.pack("<4f", 1, 2, 3, 4)
good = open(os.path.join(HERE, "python-mixed.safetensors"), "rb").read()

write("bad-too-short.safetensors", b"\x10\x00\x00\x00\x00")
write("bad-header-beyond-file.safetensors", struct.pack("<Q", 1000) + b'{"a":' + b" " * 40)
write("bad-header-huge.safetensors", struct.pack("<Q", 1 << 40) + b"{}      ")
write("bad-header-start.safetensors", assemble(b"[1, 2, 3]"))
write("bad-json.safetensors", assemble(b'{"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]', four_floats))
write("bad-duplicate-name.safetensors", assemble(
    b'{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}',
    four_floats))
write("bad-dtype.safetensors", assemble({"a": entry("F99", [4], 0, 16)}, four_floats))
write("bad-size-mismatch.safetensors", assemble({"a": entry("F32", [2, 2], 0, 12)}, four_floats[:12]))
write("bad-offsets-reversed.safetensors", assemble({"a": entry("F32", [1], 8, 4)}, four_floats[:8]))
write("bad-overlap.safetensors", assemble({"a": entry("F32", [2], 0, 8), "b": entry("F32", [2], 4, 12)}, four_floats[:12]))
write("bad-gap.safetensors", assemble({"a": entry("F32", [1], 0, 4), "b": entry("F32", [1], 8, 12)}, four_floats[:12]))
write("bad-trailing-data.safetensors", assemble({"a": entry("F32", [1], 0, 4)}, four_floats[:8]))
write("bad-truncated.safetensors", good[:-3])
write("bad-metadata.safetensors", assemble({"__metadata__": {"epochs": 30}, "a": entry("F32", [4], 0, 16)}, four_floats))
write("bad-missing-offsets.safetensors", assemble({"a": {"dtype": "F32", "shape": [4]}}, four_floats))
write("bad-shape.safetensors", assemble({"a": entry("F32", [2, -2], 0, 16)}, four_floats))
