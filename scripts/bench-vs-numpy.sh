#!/bin/sh
# Measures SlimLab's kernels side by side with NumPy / SciPy / onnxruntime in one run and
# prints the ratios (column "ours/anchor"). Python is used only to time those libraries.
#
#   scripts/bench-vs-numpy.sh [FILTER…] [--threads 1,2] [--json]
#
# Needs a Python with numpy, scipy, onnx and onnxruntime: set SLIMLAB_ANCHOR_PYTHON, or
# create the default one with
#   python3 -m venv /tmp/anchorenv && /tmp/anchorenv/bin/pip install numpy scipy onnx onnxruntime
set -e
cd "$(dirname "$0")/.."
exec swift run -c release --explicit-target-dependency-import-check error slimbench --anchors "$@"
