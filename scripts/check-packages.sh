#!/usr/bin/env bash
# Packs the LabelNoise library and the LabelNoise.Tool package (command: labelnoise) into a temporary
# folder, installs the tool from it as a local tool in a fresh project and runs 'labelnoise --version'
# and a 100-step quadratic train, then builds and runs a fresh console project that references the
# library package (with the code of examples/TheoryModel). Nothing is fetched beyond NuGet's restore.
# Prints each package's size and each phase's time; exit 0: all worked.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
fail() { echo "check-packages: $*" >&2; exit 1; }
work=$(mktemp -d /tmp/labelnoise-packages.XXXXXX)
trap 'rm -rf "$work"' EXIT
feed=$work/feed
version=$(dotnet msbuild src/LabelNoise/LabelNoise.csproj -getProperty:Version)
[ -n "$version" ] || fail "no Version in Directory.Build.props"
# A package of this version left in NuGet's cache by an earlier run would be used instead of the new one.
cache=${NUGET_PACKAGES:-$HOME/.nuget/packages}
rm -rf "$cache/labelnoise/$version" "$cache/labelnoise.tool/$version"
phase() { echo "check-packages: $1 ($(( $(date +%s) - t0 )) s)"; t0=$(date +%s); }
t0=$(date +%s)

dotnet pack src/LabelNoise/LabelNoise.csproj -c Release -o "$feed" --nologo -v q >"$work/pack.log" 2>&1 || { tail -20 "$work/pack.log"; fail "dotnet pack of the library failed"; }
dotnet pack src/LabelNoise.Cli/LabelNoise.Cli.csproj -c Release -o "$feed" --nologo -v q >>"$work/pack.log" 2>&1 || { tail -20 "$work/pack.log"; fail "dotnet pack of the tool failed"; }
phase "packed"
for package in "$feed"/*.nupkg; do
  echo "  $(basename "$package"): $(du -h "$package" | cut -f1) ($(stat -c %s "$package") bytes)"
done
entries() { if command -v unzip >/dev/null; then unzip -Z1 "$1"; else python3 -m zipfile -l "$1"; fi; }
entries "$feed/LabelNoise.$version.nupkg" >"$work/library.txt"
grep -q "lib/net10.0/LabelNoise.xml" "$work/library.txt" || fail "the library package has no XML documentation"
grep -qE "^README.md" "$work/library.txt" || fail "the library package has no README"
cat >"$work/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="labelnoise-local" value="$feed" />
  </packageSources>
</configuration>
CONFIG

# The tool, as a local tool of a fresh project.
mkdir "$work/tool"
cd "$work/tool"
dotnet new tool-manifest >/dev/null
dotnet tool install --add-source "$feed" LabelNoise.Tool --version "$version" >"$work/tool.log" 2>&1 || { tail -20 "$work/tool.log"; fail "dotnet tool install failed"; }
phase "tool installed"
printed=$(dotnet tool run labelnoise --version)
echo "  labelnoise --version: $printed"
case "$printed" in "$version"*) ;; *) fail "labelnoise --version printed '$printed', not version $version";; esac
dotnet tool run labelnoise train --model quadratic --data sparse:d=100,n=40,r=5,seed=1 --noise pm:1 --lr 0.005 --batch 1 \
  --steps 100 --eval-every 50 --out run >"$work/train.log" 2>&1 || { tail -5 "$work/train.log"; fail "the tool's 100-step train failed"; }
[ -f run/final-params.txt ] || fail "the tool's train wrote no final-params.txt"
[ "$(grep -c . run/final-params.txt)" = 200 ] || fail "final-params.txt does not hold 200 parameters"
sed "s/\\\\u002B/+/g" run/config.json | grep -qF "\"labelnoise\": \"$printed\"" || fail "config.json does not carry the version '$printed'"
tail -1 run/metrics.csv | sed 's/^/  last metrics row: /'
phase "tool ran --version and a 100-step train"

# The library, referenced by a fresh console project.
cd "$work"
dotnet new console -o app --framework net10.0 >/dev/null
cp "$root/examples/TheoryModel/Program.cs" app/Program.cs
cd app
dotnet add package LabelNoise --version "$version" >"$work/add.log" 2>&1 || { tail -20 "$work/add.log"; fail "dotnet add package LabelNoise failed"; }
dotnet build -c Release --nologo -v q >"$work/app.log" 2>&1 || { grep -E "error" "$work/app.log" | head; fail "the console project that references the library package did not build"; }
phase "console project built against the package"
dotnet run -c Release --no-build -- 20 >"$work/run.log" 2>&1 || { tail -5 "$work/run.log"; fail "the console project failed to run"; }
grep -q "quadratic model" "$work/run.log" || fail "the console project printed nothing expected"
tail -2 "$work/run.log" | sed 's/^/  /'
phase "console project ran"

# The README's library snippet, as written there, with TorchSharp's names imported too (no clash with ours).
awk '/^## The library/{f=1} f&&/^```csharp/{g=1;next} g&&/^```/{exit} g' "$root/README.md" >"$work/snippet.cs"
[ -s "$work/snippet.cs" ] || fail "no C# snippet under the README's '## The library'"
{ echo "using static TorchSharp.torch;"; cat "$work/snippet.cs"; echo 'Console.WriteLine($"README snippet: lambda = {lambda}");'; } >Program.cs
dotnet build -c Release --nologo -v q >"$work/snippet.log" 2>&1 || { grep -E "error" "$work/snippet.log" | head; fail "the README's library snippet did not build"; }
dotnet run -c Release --no-build >"$work/snippet-run.log" 2>&1 || { tail -5 "$work/snippet-run.log"; fail "the README's library snippet failed to run"; }
grep -q "README snippet: lambda = 0.01" "$work/snippet-run.log" || fail "the README's library snippet printed $(tail -1 "$work/snippet-run.log")"
phase "the README's library snippet built and ran"
echo "check-packages: both packages work"
