#!/usr/bin/env bash
# Builds and runs examples/CustomModel, examples/TheoryModel and examples/PyTorchModel at a tiny size and checks what they print.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
fail() { echo "run-examples: $*" >&2; exit 1; }
bash scripts/ensure-data.sh
for example in TheoryModel CustomModel; do
  dotnet build "examples/$example/$example.csproj" -c Release --nologo -v q >/tmp/labelnoise-example-$$.log 2>&1 ||
    { grep -E "error" /tmp/labelnoise-example-$$.log | head; rm -f /tmp/labelnoise-example-$$.log; fail "examples/$example did not build"; }
done
rm -f /tmp/labelnoise-example-$$.log
out=$(mktemp)
trap 'rm -f "$out"' EXIT
start=$(date +%s)
"examples/TheoryModel/bin/Release/net10.0/linux-x64/TheoryModel" 100 | tee "$out"
grep -qE "^ +100 " "$out" || fail "TheoryModel printed no row for step 100"
"examples/CustomModel/bin/Release/net10.0/linux-x64/CustomModel" 50 128 4 | tee "$out"
for quantity in "tr ∇²L" "R(θ)"; do
  grep -q "^  $quantity  *=.*±" "$out" || fail "CustomModel printed no $quantity with a standard error"
done
grep -q "^  λ_max  *≥ .*Lanczos; an eigenvalue lies within" "$out" || fail "CustomModel printed no λ_max with its Lanczos residual bound"
# examples/PyTorchModel: a module and data exported by Debian's PyTorch (installed here when missing, as the tests do), then train and measure.
if ! /usr/bin/python3 -c "import torch" >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "run-examples: installing Debian's python3-torch (once)..." >&2
    { apt-get install -y -qq python3-torch >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null 2>&1; }; } ||
      fail "examples/PyTorchModel needs Debian's python3-torch: run 'sudo apt-get install python3-torch'"
  else
    fail "examples/PyTorchModel needs Debian's python3-torch: run 'sudo apt-get install python3-torch'"
  fi
fi
pytorch=$(mktemp -d)
trap 'rm -f "$out"; rm -rf "$pytorch"' EXIT
bash examples/PyTorchModel/run.sh "$pytorch" 200 200 | tee "$out"
grep -q "^done: 200 steps" "$out" || fail "PyTorchModel's training did not finish"
grep -q "│ regularizer  *│" "$out" || fail "PyTorchModel's measure printed no R(θ)"
grep -q "trace of conv.weight" "$out" || fail "PyTorchModel's measure printed no trace under the module's own names"
echo "run-examples: all three examples ran ($(( $(date +%s) - start )) s)"
