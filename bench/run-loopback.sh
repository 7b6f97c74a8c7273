#!/usr/bin/env bash
# Whole-process timing of `evaldsl run` against the loopback OpenAI-compatible server answering in 50 ms:
#  A) 200 cases, one model call each (a contain check), concurrency 8: the limit is 200 × 50 ms ÷ 8 = 1.25 s;
#  B) 100 cases, one model call and one judged behaviour each (200 calls), concurrency 8: the same limit.
# Prints wall time, CPU time (user + sys) and peak memory for three runs of each. Usage: bench/run-loopback.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null; rm -rf "$work"' EXIT

dotnet build bench/LoopbackHost -c Release -v quiet -nologo >/dev/null
# ReadyToRun: the start-up JIT of the HTTP and JSON stacks is most of a short run's CPU time.
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

mkfifo "$work/in"
dotnet bench/LoopbackHost/bin/Release/net10.0/LoopbackHost.dll 50 < "$work/in" > "$work/url" &
exec 3> "$work/in"
while [ ! -s "$work/url" ]; do sleep 0.1; done
url=$(head -n 1 "$work/url")
echo "loopback server: $url (50 ms a request)"

for scenario in "A 200 must contain \"Canberra\"" "B 100 must not flatter the user"; do
  set -- $scenario
  name=$1; cases=$2; shift 2
  gen "$cases" "$*"
  echo "scenario $name: $cases cases, expectation: $*"
  for run in 1 2 3; do
    ( cd "$work" && /usr/bin/time -f "  run $run: %e s wall, %U s user + %S s sys, %M KB peak" \
        dotnet evaldsl/evaldsl.dll run bench.eval --target "openai:honest@$url" --judge "openai:judge@$url" \
        --no-cache --concurrency 8 --report report >/dev/null 2>"$work/err" ) || true
    tail -n 1 "$work/err"
  done
done
