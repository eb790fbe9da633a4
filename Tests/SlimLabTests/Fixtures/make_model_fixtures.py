"""Writes the model-file fixtures in models/ (run once; the files are committed).

    /tmp/anchorenv/bin/pip install numpy safetensors
    /tmp/anchorenv/bin/python Tests/SlimLabTests/Fixtures/make_model_fixtures.py

Generated with safetensors 0.8.0 and numpy 2.4: a PyTorch-style `state_dict` of a 4-3-2 MLP
(nn.Linear layout, weight [out, in]) with exact binary values, as `torch.save`-free code writes
it with `safetensors`, and no SlimLab metadata — `model load` must infer the MLP.
"""
import os

import numpy as np
from safetensors.numpy import save

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models")
os.makedirs(HERE, exist_ok=True)

state = {
    "fc1.weight": np.array([[0.5, -0.25, 1.0, 0.0], [-1.0, 0.75, 0.125, 2.0], [0.0, 0.0, -0.5, 1.5]], dtype=np.float32),
    "fc1.bias": np.array([0.25, -0.5, 0.0], dtype=np.float32),
    "fc2.weight": np.array([[1.0, -1.0, 0.5], [-0.5, 0.25, 2.0]], dtype=np.float32),
    "fc2.bias": np.array([0.0, 0.125], dtype=np.float32),
}
with open(os.path.join(HERE, "python-mlp.safetensors"), "wb") as f:
    f.write(save(state, metadata={"format": "pt"}))

# The same tensors under names that are no MLP's: loading must say so.
with open(os.path.join(HERE, "python-unknown.safetensors"), "wb") as f:
    f.write(save({"encoder.weight": state["fc1.weight"], "encoder.bias": state["fc1.bias"]}))
