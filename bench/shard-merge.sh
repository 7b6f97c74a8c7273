#!/usr/bin/env bash
# Whole-process timing of sharding on the shipped examples (offline: replayed recordings, 628 samples with the
# baseline): the unsharded run, each of three shards (run --shard i/3), and the merge of their report folders.
# The merge calls no model: its time is reading three journals, writing one, and the reports.
# Prints wall time, CPU time (user + sys) and peak memory for three runs of each. Usage: bench/shard-merge.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build src/EvalDsl.Cli -c Release -v quiet -nologo >/dev/null
evaldsl="$PWD/src/EvalDsl.Cli/bin/Release/net10.0/evaldsl.dll"
cd examples

measure() { # $1 = label, then the evaldsl arguments
  local label=$1; shift
  for run in 1 2 3; do
    /usr/bin/time -f "  $label, run $run: %e s wall, %U s user + %S s sys, %M KB peak" \
      dotnet "$evaldsl" "$@" >/dev/null 2>"$work/err" || true
    tail -n 1 "$work/err"
  done
}

measure "unsharded run" run . --report "$work/whole"
for i in 1 2 3; do measure "shard $i/3" run . --shard "$i/3" --report "$work/shard-$i"; done
measure "merge of 3 shards" merge "$work/shard-1" "$work/shard-2" "$work/shard-3" --spec . --report "$work/merged"

# The merged result is the unsharded one but for its timings.
strip() { grep -v -E '^ *"(started|finished|seconds)": ' "$1"; }
if diff <(strip "$work/whole/results.json") <(strip "$work/merged/results.json") >/dev/null; then
  echo "merged results.json = unsharded results.json (minus timings)"
else
  echo "merged results.json DIFFERS from the unsharded one" >&2
  exit 1
fi
