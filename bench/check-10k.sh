#!/usr/bin/env bash
# Whole-process timing of `evaldsl check` on a generated spec with 10,000 cases (about 50,000 lines).
# Prints wall time, CPU time and peak memory of three runs. Usage: bench/check-10k.sh [cases]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bench/gen-spec.sh "$n" > "$work/generated.eval"
echo "spec: $n cases, $(wc -l < "$work/generated.eval") lines"
dotnet build src/EvalDsl.Cli -c Release -v quiet -nologo >/dev/null
for run in 1 2 3; do
  /usr/bin/time -f "run $run: %e s wall, %U s user + %S s sys, %M KB peak" \
    dotnet src/EvalDsl.Cli/bin/Release/net10.0/evaldsl.dll check "$work/generated.eval" >/dev/null 2>"$work/err" || true
  tail -n 1 "$work/err"
done
