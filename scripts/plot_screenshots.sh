#!/bin/sh
# Draws every kind of `plot` as SVG with the release build, then screenshots each SVG in headless
# Chromium (`apt-get install chromium`), to check by eye that a browser renders them:
#
#   scripts/plot_screenshots.sh [OUT]      (default OUT: docs/plots)
set -e
cd "$(dirname "$0")/.."
OUT=${1:-docs/plots}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
swift build -c release --product slimlab --explicit-target-dependency-import-check error >/dev/null
.build/release/slimlab -c "data load digits; model new mlp 64-64-10 name=baseline; train epochs=12 log=4; \
plot training svg=$OUT/training.svg; plot sensitivity svg=$OUT/sensitivity.svg; \
prune magnitude sparsity=0.8 from=baseline as=p80 detail=brief; plot mask fc1.weight p80 svg=$OUT/mask.svg; \
quantize bits=8 granularity=channel from=baseline as=int8 detail=brief; \
quantize bits=4 granularity=channel from=baseline as=int4 detail=brief; \
plot compare x=bytes y=accuracy svg=$OUT/compare.svg; plot calibration svg=$OUT/calibration.svg; \
plot activations relu1.out int8 svg=$OUT/activations.svg; plot bits svg=$OUT/bits.svg" >/dev/null
for svg in "$OUT"/*.svg; do
    height=$(sed -n 's/.*<svg [^>]*height="\([0-9]*\).*/\1/p' "$svg" | head -1)
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=800,$((height + 40)) \
        --screenshot="${svg%.svg}.png" "file://$svg" >/dev/null 2>&1
done
ls "$OUT"
