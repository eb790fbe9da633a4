"""Runs SlimLab's ONNX exports on onnxruntime and compares them with SlimLab's own outputs.

Each argument is MODEL.onnx:REFERENCE.csv:KIND. The reference (written by
`model export ... reference=PATH`) holds per test sample the label, SlimLab's predicted class,
its logits and the input features. Every sample must get the same class; for KIND fp32 every
logit must also lie within 1e-4 of SlimLab's. Graph optimizations are off, so the runtime
evaluates the QDQ graph by its definition (no fused integer kernels).
"""
import sys

import numpy as np
import onnxruntime as ort

TOLERANCE = 1e-4


def check(model_path, reference_path, kind):
    with open(reference_path) as f:
        header = f.readline().strip().split(",")
    table = np.loadtxt(reference_path, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
    classes = sum(1 for name in header if name.startswith("logit"))
    labels = table[:, 0].astype(np.int64)
    expected_classes = table[:, 1].astype(np.int64)
    expected_logits = table[:, 2:2 + classes].astype(np.float32)
    features = table[:, 2 + classes:].astype(np.float32)

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
    model_input = session.get_inputs()[0]
    shape = [-1] + [int(d) for d in model_input.shape[1:]]
    logits = session.run(None, {model_input.name: features.reshape(shape)})[0]

    predicted = logits.argmax(axis=1)
    mismatches = int((predicted != expected_classes).sum())
    difference = float(np.abs(logits - expected_logits).max())
    accuracy = float((predicted == labels).mean()) * 100
    ok = mismatches == 0 and (kind != "fp32" or difference <= TOLERANCE)
    print(f"{model_path.rsplit('/', 1)[-1]:10} {kind:5} {len(labels):4} samples  "
          f"class mismatches {mismatches}  max |Δlogit| {difference:.2e}  "
          f"onnxruntime accuracy {accuracy:.2f}%  {'ok' if ok else 'FAILED'}")
    return ok


def main():
    print(f"onnxruntime {ort.__version__}, numpy {np.__version__}")
    results = [check(*argument.split(":")) for argument in sys.argv[1:]]
    if not results or not all(results):
        sys.exit(1)


if __name__ == "__main__":
    main()
