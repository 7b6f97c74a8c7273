#!/usr/bin/env bash
# Whole-process timing of `evaldsl fmt --check` on a generated spec with 10,000 cases (about 50,000 lines): as the
# generator writes it (no blank line between cases, so it would change), and once formatted (nothing to change).
# Prints wall time, CPU time and peak memory of three runs of each. Usage: bench/fmt-50k.sh [cases]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bench/gen-spec.sh "$n" > "$work/generated.eval"
echo "spec: $n cases, $(wc -l < "$work/generated.eval") lines"
dotnet build src/EvalDsl.Cli -c Release -v quiet -nologo >/dev/null
cp "$work/generated.eval" "$work/formatted.eval"
dotnet src/EvalDsl.Cli/bin/Release/net10.0/evaldsl.dll fmt "$work/formatted.eval" >/dev/null 2>&1
for spec in generated formatted; do
  for run in 1 2 3; do
    /usr/bin/time -f "$spec.eval run $run: %e s wall, %U s user + %S s sys, %M KB peak" \
      dotnet src/EvalDsl.Cli/bin/Release/net10.0/evaldsl.dll fmt --check "$work/$spec.eval" >/dev/null 2>"$work/err" || true
    tail -n 1 "$work/err"
  done
done
