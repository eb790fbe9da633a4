"""Writes the quantized-variant fixtures in models/ (run once; the files are committed).

    python3 -m venv /tmp/stenv && /tmp/stenv/bin/pip install safetensors numpy
    /tmp/stenv/bin/python Tests/SlimLabTests/Fixtures/make_variant_fixtures.py

Generated with safetensors 0.7/0.8 and numpy 2: two 4-3-2 MLPs in SlimLab's model-file format 2,
written from nothing but the scheme its metadata describes (see ModelFile and WeightForm):

- python-int8-static.safetensors: a static int8 variant. fc1.weight and fc2.weight are int8
  codes (I8 [out, in]) with one symmetric scale per output channel (F32 [out]); the biases are
  F32; input.range and relu1.out.range (F32 [2]) are the activation ranges the int8 engine
  builds its affine 8-bit grids from.
- python-int4-packed.safetensors: a weight-only variant. fc1.weight is int4 codes packed two
  per byte (code i in the low nibble of byte i / 2 when i is even, the high nibble when odd,
  two's complement), affine per tensor with a scale and an I8 zero point; fc2.weight is F32.

The codes and scales are small exact binary numbers, so the tests can check w = s·q and
w = s·(q − z) exactly.
"""
import json
import os

import numpy as np
from safetensors.numpy import save

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models")
os.makedirs(HERE, exist_ok=True)


def architecture(sizes):
    layers = []
    for i in range(1, len(sizes)):
        layers.append({"kind": "dense", "name": f"fc{i}",
                       "attributes": {"in": str(sizes[i - 1]), "out": str(sizes[i])}})
        if i < len(sizes) - 1:
            layers.append({"kind": "relu", "name": f"relu{i}", "attributes": {}})
    return json.dumps({"inputShape": [sizes[0]], "layers": layers})


base = {
    "format": "slimlab-model-2",
    "slimlab.architecture": architecture([4, 3, 2]),
    "slimlab.specification": "mlp 4-3-2",
    "slimlab.completed_epochs": "7",
}

# Static int8, per-channel symmetric weights: w = s·q.
codes1 = np.array([[64, -32, 127, 0], [-127, 96, 16, 8], [0, 0, -64, 127]], dtype=np.int8)
scales1 = np.array([0.0078125, 0.015625, 0.0117187500], dtype=np.float32)
codes2 = np.array([[127, -127, 64], [-64, 32, 127]], dtype=np.int8)
scales2 = np.array([0.0078125, 0.015625], dtype=np.float32)
metadata = dict(base)
metadata.update({
    "slimlab.name": "py-int8",
    "slimlab.storage.fc1.weight": "grid bits=8 granularity=channel scheme=symmetric",
    "slimlab.storage.fc2.weight": "grid bits=8 granularity=channel scheme=symmetric",
    "slimlab.engine": "int8-static activation_bits=8 ranges=input,relu1.out",
    "fc1.weight": "int8 codes q (I8 [3, 4]), symmetric per output channel: scale s in fc1.weight.scale; w = s·q",
    "fc2.weight": "int8 codes q (I8 [2, 3]), symmetric per output channel: scale s in fc2.weight.scale; w = s·q",
})
tensors = {
    "fc1.weight": codes1, "fc1.weight.scale": scales1, "fc1.bias": np.array([0.25, -0.5, 0.0], dtype=np.float32),
    "fc2.weight": codes2, "fc2.weight.scale": scales2, "fc2.bias": np.array([0.0, 0.125], dtype=np.float32),
    "input.range": np.array([-2.0, 2.0], dtype=np.float32), "relu1.out.range": np.array([0.0, 4.0], dtype=np.float32),
}
with open(os.path.join(HERE, "python-int8-static.safetensors"), "wb") as f:
    f.write(save(tensors, metadata=metadata))

# Weight-only int4, affine per tensor: w = s·(q − z), codes packed two per byte, low nibble first.
codes = np.array([[-8, -1, 0, 7], [3, -4, 5, 6], [1, 2, -3, -7]], dtype=np.int8).reshape(-1)
nibbles = (codes.astype(np.uint8) & 0x0F)
packed = (nibbles[0::2] | (nibbles[1::2] << 4)).astype(np.uint8)
metadata = dict(base)
metadata.update({
    "slimlab.name": "py-int4",
    "slimlab.storage.fc1.weight": "grid bits=4 granularity=tensor scheme=affine",
    "fc1.weight": "int4 codes of [3, 4], 2 per byte (U8), low nibble first; affine per tensor; w = s·(q − z)",
})
tensors = {
    "fc1.weight": packed, "fc1.weight.scale": np.array([0.125], dtype=np.float32),
    "fc1.weight.zero_point": np.array([-1], dtype=np.int8), "fc1.bias": np.array([0.25, -0.5, 0.0], dtype=np.float32),
    "fc2.weight": np.array([[1.0, -1.0, 0.5], [-0.5, 0.25, 2.0]], dtype=np.float32),
    "fc2.bias": np.array([0.0, 0.125], dtype=np.float32),
}
with open(os.path.join(HERE, "python-int4-packed.safetensors"), "wb") as f:
    f.write(save(tensors, metadata=metadata))
