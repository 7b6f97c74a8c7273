#!/usr/bin/env bash
# Peak memory of `evaldsl run` by the number of cases: does it grow with the cases, or only with the concurrency?
# Generates specs of single-call cases (a contain check, 1 sample each) and runs them against the loopback
# OpenAI-compatible server answering at once (DELAY ms a call, default 0) at concurrency 64, writing every report.
# Prints wall time, CPU time (user + sys) and peak RSS for RUNS runs (default 3) of each size.
# Usage: bench/run-100k.sh [CASES…]   (default: 2000 100000)
#   DELAY=5 RUNS=1 CONCURRENCY=64 bench/run-100k.sh 10000 100000
#   EVALDSL_TOOL=path/to/evaldsl times an installed tool instead of the Release build of src/EvalDsl.Cli.
#   EVALDSL_MEMORY_LOG=1 makes the tool print the managed heap at each stage of the run to stderr (kept in WORK).
set -euo pipefail
cd "$(dirname "$0")/.."
delay=${DELAY:-0}
runs=${RUNS:-3}
concurrency=${CONCURRENCY:-64}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2000 100000)
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
trap 'exec 3>&- 2>/dev/null; [ -n "${WORK:-}" ] || rm -rf "$work"' EXIT

dotnet build bench/LoopbackHost -c Release -v quiet -nologo >/dev/null
if [ -n "${EVALDSL_TOOL:-}" ]; then
  evaldsl=("$EVALDSL_TOOL")
else
  dotnet build src/EvalDsl.Cli -c Release -v quiet -nologo >/dev/null
  evaldsl=(dotnet "$PWD/src/EvalDsl.Cli/bin/Release/net10.0/evaldsl.dll")
fi

gen() { # $1 = cases: one call and one contain check each, one sample
  awk -v n="$1" 'BEGIN {
    print "suite \"Bench\" {"
    print "  samples 1"
    for (i = 1; i <= n; i++) {
      printf "  case \"case %d\" {\n    user \"What is the capital of Australia? (question %d)\"\n    must contain \"Canberra\"\n  }\n", i, i
    }
    print "}"
  }' > "$work/bench-$1.eval"
}

mkfifo "$work/in"
dotnet bench/LoopbackHost/bin/Release/net10.0/LoopbackHost.dll "$delay" < "$work/in" > "$work/url" &
exec 3> "$work/in"
while [ ! -s "$work/url" ]; do sleep 0.1; done
url=$(head -n 1 "$work/url")
echo "loopback server: $url ($delay ms a request), concurrency $concurrency"

for cases in "${sizes[@]}"; do
  gen "$cases"
  echo "$cases cases, one call each:"
  for run in $(seq 1 "$runs"); do
    rm -rf "$work/report-$cases"
    ( cd "$work" && /usr/bin/time -f "  run $run: %e s wall, %U s user + %S s sys, %M KB peak" \
        "${evaldsl[@]}" run "bench-$cases.eval" --target "openai:honest@$url" \
        --no-cache --concurrency "$concurrency" --report "report-$cases" >/dev/null 2>"$work/err-$cases-$run" ) || true
    tail -n 1 "$work/err-$cases-$run"
  done
  ls -l "$work/report-$cases" | awk 'NR > 1 { printf "    %s %d bytes\n", $9, $5 }'
done
