#!/usr/bin/env bash
# Builds and runs examples/CustomModel and examples/TheoryModel at a tiny size and checks what they print.
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
echo "run-examples: both examples ran ($(( $(date +%s) - start )) s)"
