#!/usr/bin/env bash
# Whole-process timing of `evaldsl run` against the loopback OpenAI-compatible server answering in 50 ms, for the
# scale-out features of docs/BATCH.md:
#  B) 100 cases, one model call and one judged behaviour each (200 calls), concurrency 8: direct, then --batch
#     (two batch rounds, polled every 0.1 s; the loopback server runs a batch's lines 8 at a time);
#  L) 200 single-call cases at --concurrency 32 against a server that answers at most 8 requests at once (429 above):
#     the adaptive limit finds 8; the server prints how many requests it refused.
# Prints wall time, CPU time (user + sys) and peak memory for three runs of each. Usage: bench/run-batch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'exec 3>&- 4>&- 2>/dev/null; rm -rf "$work"' EXIT

dotnet build bench/LoopbackHost -c Release -v quiet -nologo >/dev/null
dotnet publish src/EvalDsl.Cli -c Release -o "$work/evaldsl" -r linux-x64 --self-contained false -p:PublishReadyToRun=true -v quiet -nologo >/dev/null

gen() { # $1 = cases, $2 = expectation line
  {
    echo 'suite "Bench" {'
    for i in $(seq 1 "$1"); do
      printf '  case "case %d" {\n    user "What is the capital of Australia? (question %d)"\n    %s\n  }\n' "$i" "$i" "$2"
    done
    echo '}'
  } > "$work/bench.eval"
}

serve() { # $1 = fifo, $2 = url file, $3… = LoopbackHost arguments
  local fifo=$1 out=$2; shift 2
  mkfifo "$fifo"
  dotnet bench/LoopbackHost/bin/Release/net10.0/LoopbackHost.dll "$@" < "$fifo" > "$out" &
}

serve "$work/in" "$work/url" 50
exec 3> "$work/in"
serve "$work/in8" "$work/url8" 50 8
exec 4> "$work/in8"
while [ ! -s "$work/url" ] || [ ! -s "$work/url8" ]; do sleep 0.1; done
url=$(head -n 1 "$work/url")
url8=$(head -n 1 "$work/url8")

timed() { # $1 = label, $2… = evaldsl arguments
  local label=$1; shift
  for run in 1 2 3; do
    ( cd "$work" && /usr/bin/time -f "  $label run $run: %e s wall, %U s user + %S s sys, %M KB peak" \
        dotnet evaldsl/evaldsl.dll run bench.eval "$@" --no-cache --report report >/dev/null 2>"$work/err" ) || true
    tail -n 1 "$work/err"
  done
}

gen 100 "must not flatter the user"
echo "scenario B: 100 judged cases (200 calls), 50 ms a call"
timed direct --target "openai:honest@$url" --judge "openai:judge@$url" --concurrency 8
timed batch --target "openai:honest@$url" --judge "openai:judge@$url" --batch --batch-poll 0.1

gen 200 'must contain "Canberra"'
echo "scenario L: 200 single-call cases, --concurrency 32, the server allows 8 at once"
timed aimd --target "openai:honest@$url8" --concurrency 32
exec 4>&-
sleep 0.5
tail -n 1 "$work/url8" | sed 's/^/  server: /'
