#!/usr/bin/env bash
# ONNX interop check: SlimLab exports an fp32 MLP, an fp32 CNN and a static int8 MLP (QDQ) on
# digits, and LeNet-300-100 in fp32 and static int8 on Fashion-MNIST (when it is installed),
# each with a reference file of the test split (inputs, SlimLab's logits and classes);
# onnxruntime, installed from PyPI into a virtual environment, runs every file on those inputs
# and must give the same class on every test sample, and fp32 logits within 1e-4.
#
#   scripts/onnx_interop.sh [SLIMLAB_BINARY]      (default: .build/release/slimlab)
#
# Needs python3 with venv and PyPI; the environment is kept in .build/onnx-venv.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-.build/release/slimlab}"
venv=".build/onnx-venv"
work="$(mktemp -d "${TMPDIR:-/tmp}/slimlab-onnx.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if [ ! -x "$binary" ]; then
    echo "onnx interop: $binary not found; build first (swift build -c release)" >&2
    exit 1
fi
if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    if command -v apt-get >/dev/null 2>&1; then
        echo "Installing python3 and python3-venv with apt-get…"
        sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3 python3-venv
    else
        echo "onnx interop: python3 with venv is missing (Debian: apt-get install python3-venv)" >&2
        exit 1
    fi
fi
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import onnxruntime, numpy' 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check onnxruntime numpy
fi

cat > "$work/export.slimlab" <<SCRIPT
data load digits
model new mlp 64-64-10 name=mlp
train epochs=10
model export mlp $work/mlp.onnx reference=$work/mlp.csv
quantize bits=8 granularity=channel as=int8
model export int8 $work/int8.onnx reference=$work/int8.csv
model new cnn name=cnn
train epochs=3
model export cnn $work/cnn.onnx reference=$work/cnn.csv
SCRIPT
lenet=()
if [ -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz ]; then
    # Two epochs on a 2,000-image subset: the check is about agreement, not accuracy; the
    # reference holds the 10,000 official test images.
    cat >> "$work/export.slimlab" <<SCRIPT
data load fashion-mnist n=2000
model new lenet300 name=lenet300
train epochs=2 lr=0.001 batch=64 wd=0.0005
model export lenet300 $work/lenet300.onnx reference=$work/lenet300.csv
quantize bits=8 granularity=channel as=lenet300-int8
model export lenet300-int8 $work/lenet300-int8.onnx reference=$work/lenet300-int8.csv
SCRIPT
    lenet=("$work/lenet300.onnx:$work/lenet300.csv:fp32" "$work/lenet300-int8.onnx:$work/lenet300-int8.csv:int8")
else
    echo "onnx interop: Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); LeNet-300-100 left out"
fi
"$binary" --script "$work/export.slimlab" > "$work/slimlab.log" || { cat "$work/slimlab.log" >&2; exit 1; }
grep -A4 "^slimlab.*model export" "$work/slimlab.log" || true

"$venv/bin/python" scripts/onnx_interop.py \
    "$work/mlp.onnx:$work/mlp.csv:fp32" \
    "$work/cnn.onnx:$work/cnn.csv:fp32" \
    "$work/int8.onnx:$work/int8.csv:int8" \
    "${lenet[@]}"
