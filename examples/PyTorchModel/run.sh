#!/usr/bin/env bash
# Exports the example's model and data with Debian's PyTorch, then trains it with label noise and measures it:
#   bash examples/PyTorchModel/run.sh [OUT_FOLDER] [STEPS] [N]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-$root/runs/pytorch-model}
steps=${2:-2000}
n=${3:-600}
/usr/bin/python3 "$root/examples/PyTorchModel/export.py" "$out" "$n"
rm -rf "$out/run"
"$root/labelnoise" train --model "torchscript:$out/model.pt" --data "tensors:$out/data.pt" --noise flip:0.2 --lr 0.1 --batch 16 \
  --steps "$steps" --eval-every $(( steps / 4 )) --out "$out/run"
"$root/labelnoise" measure --checkpoint "$out/run" --probes 20 --lanczos-steps 10
