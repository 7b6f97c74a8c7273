#!/usr/bin/env bash
# Whole-process timing of `evaldsl run` against the loopback OpenAI-compatible server answering in 50 ms:
#  A) 200 cases, one model call each (a contain check), concurrency 8: the limit is 200 × 50 ms ÷ 8 = 1.25 s;
#  B) 100 cases, one model call and one judged behaviour each (200 calls), concurrency 8: the same limit;
#  C) 2,000 cases, one model call each, concurrency 64: the limit is 2000 × 50 ms ÷ 64 = 1.56 s.
# Prints wall time, CPU time (user + sys) and peak memory for three runs of each. Usage: bench/run-loopback.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null; rm -rf "$work"' EXIT

dotnet build bench/LoopbackHost -c Release -v quiet -nologo >/dev/null
# The tool as the README installs it (on linux-x64 the platform package is Native AOT, elsewhere ReadyToRun: the
# start-up JIT of the HTTP and JSON stacks is most of a short run's CPU time); EVALDSL_NATIVE_AOT=false packs
# ReadyToRun on linux-x64 too, to compare; EVALDSL_TOOL=path/to/evaldsl times one already installed.
evaldsl=${EVALDSL_TOOL:-}
if [ -z "$evaldsl" ]; then
  version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
  dotnet pack src/EvalDsl.Cli -c Release -o "$work/packages" -v quiet -nologo -p:EvalDslNativeAot="${EVALDSL_NATIVE_AOT:-true}" >/dev/null
  NUGET_PACKAGES="$work/nuget" dotnet tool install EvalDsl.Cli --tool-path "$work/tool" --add-source "$work/packages" --version "$version" >/dev/null
  evaldsl="$work/tool/evaldsl"
fi

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

for scenario in "A 200 8 must contain \"Canberra\"" "B 100 8 must not flatter the user" "C 2000 64 must contain \"Canberra\""; do
  set -- $scenario
  name=$1; cases=$2; concurrency=$3; shift 3
  gen "$cases" "$*"
  echo "scenario $name: $cases cases, concurrency $concurrency, expectation: $*"
  for run in 1 2 3; do
    ( cd "$work" && /usr/bin/time -f "  run $run: %e s wall, %U s user + %S s sys, %M KB peak" \
        "$evaldsl" run bench.eval --target "openai:honest@$url" --judge "openai:judge@$url" \
        --no-cache --concurrency "$concurrency" --report report >/dev/null 2>"$work/err" ) || true
    tail -n 1 "$work/err"
  done
done
