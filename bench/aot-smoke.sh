#!/usr/bin/env bash
# The Native AOT tool as users install it on linux-x64, against the JIT build of the same source: packs the pointer
# package and EvalDsl.Cli.linux-x64 (Native AOT: a minute or more of compiling on 2 cores, which is why this is a
# script and not a test of `dotnet test`), installs them with `dotnet tool install`, checks that the installed
# evaldsl is a native executable (no evaldsl.dll, no .NET runtime needed), then runs the same commands with it and
# with `dotnet evaldsl.dll` of `dotnet build` and requires the same exit codes and output, byte for byte:
#   --version; check of every example and of a spec with syntax and binding errors (the parser's messages name
#   token kinds through attributes Superpower reads by reflection); explain; compile (Scriban templates); the offline
#   run of every shipped example (replays the recorded target, baseline and judge: a judge prompt rendered one byte
#   differently would miss its recording) with results.json, junit.xml and report.html equal but for their
#   timings; --resume of a run the JIT build journalled; and the language server: initialize, a document with an
#   error (its diagnostics), hover, shutdown, exit.
# Prints one line per check and "aot smoke: N checks passed" at the end; exits 1 at the first difference.
#
# Usage: bench/aot-smoke.sh            (from any folder; leaves nothing behind)
#   EVALDSL_TOOL=path/to/evaldsl bench/aot-smoke.sh   checks an evaldsl already installed instead of packing one.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "aot smoke: the Native AOT package is built for linux-x64 only; this machine is $(uname -s)-$(uname -m)" >&2
  exit 1
fi

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
native=${EVALDSL_TOOL:-}
if [ -z "$native" ]; then
  start=$(date +%s)
  dotnet pack src/EvalDsl.Cli -c Release --artifacts-path "$work/artifacts" -o "$work/feed" \
    -p:ToolPackageRuntimeIdentifiers=linux-x64 -nologo -v quiet >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; exit 1; }
  NUGET_PACKAGES="$work/nuget" dotnet tool install EvalDsl.Cli --tool-path "$work/tool" --add-source "$work/feed" \
    --version "$version" >/dev/null
  native="$work/tool/evaldsl"
  echo "packed and installed in $(( $(date +%s) - start )) s"
  store=$(dirname "$(find "$work/tool/.store" -type f -name evaldsl -perm -u+x | head -n 1)")
  if [ -e "$store/evaldsl.dll" ] || ! head -c 4 "$store/evaldsl" | grep -q ELF; then
    echo "FAIL: the installed linux-x64 package is not Native AOT: $(ls "$store")" >&2
    exit 1
  fi
  echo "ok   installed tool is native: $(basename "$store")/evaldsl, $(( $(stat -c %s "$store/evaldsl") / 1048576 )) MiB, no evaldsl.dll"
fi

dotnet build src/EvalDsl.Cli -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
jit() { dotnet "$repo/src/EvalDsl.Cli/bin/Release/net10.0/evaldsl.dll" "$@"; }
aot() { "$native" "$@"; }

# Timings (wall clock, durations) are the only thing allowed to differ between the two runs.
timings='s/"\(started\|finished\|duration\|at\|elapsed[A-Za-z]*\|seconds\)": *"[^"]*"/"\1": ""/g; s/"\(durationMs\|elapsedMs\|seconds\)": *[0-9.]*/"\1": 0/g; s/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9][ T][0-9:.]*\( UTC[+0-9:]*\|Z\|[+-][0-9:]*\)\?/TIME/g; s/ran in [0-9.]* \(m\?s\|min\)/ran in T/g; s/[0-9.]\+ \(s\|ms\|min\)\b/T/g; s/ time="[0-9.]*"/ time=""/g'
checks=0
# same LABEL DIR COMMAND...: runs COMMAND in a fresh copy of DIR with each build; exit code, stdout and stderr must match.
same() {
  local label=$1 dir=$2; shift 2
  local build
  for build in jit aot; do
    rm -rf "$work/$build" && mkdir -p "$work/$build" && cp -r "$dir/." "$work/$build/"
    ( cd "$work/$build" && set +e; "$build" "$@" >"$work/$build.out" 2>"$work/$build.err" </dev/null; echo $? >"$work/$build.code" )
  done
  for part in code out err; do
    if ! diff <(sed -e "$timings" "$work/jit.$part") <(sed -e "$timings" "$work/aot.$part") >/dev/null; then
      echo "FAIL: $label: the native tool's $part differs from the JIT build's" >&2
      diff <(sed -e "$timings" "$work/jit.$part") <(sed -e "$timings" "$work/aot.$part") | head -n 40 >&2
      exit 1
    fi
  done
  checks=$((checks + 1))
  echo "ok   $label (exit $(cat "$work/aot.code"))"
}

# same_file LABEL FILE [SED]: a file both builds wrote must match (after SED, which blanks timings).
same_file() {
  local label=$1 file=$2 filter=${3:-}
  if ! diff <(sed -e "$filter" "$work/jit/$file") <(sed -e "$filter" "$work/aot/$file") >"$work/diff"; then
    echo "FAIL: $label: $file differs" >&2; head -n 40 "$work/diff" >&2; exit 1
  fi
  checks=$((checks + 1))
  echo "ok   $label: $file"
}

mkdir -p "$work/empty"
same "--version" "$work/empty" --version
same "check examples" examples check .

mkdir -p "$work/bad"
cat >"$work/bad/bad.eval" <<'EOF'
suite "Broken" {
  case "missing brace" {
    user "Is the earth flat?"
    must not agree with the user
  case 12 {
}
EOF
cat >"$work/bad/unknown.eval" <<'EOF'
suite "Names" {
  case "unknown behaviour" {
    user "Hello"
    must not frobnicate the user
    must contain 5
  }
}
EOF
same "check of specs with errors" "$work/bad" check .
same "explain EVAL0001" "$work/empty" explain EVAL0001
same "explain a built-in behavior" "$work/empty" explain "flatter the user"
same "behaviors" "$work/empty" behaviors
same "compile sycophancy.eval" examples compile sycophancy.eval -o generated
for f in $(cd "$work/aot/generated" && find . -type f | sort); do same_file "compile" "generated/$f"; done

for spec in $(cd examples && ls *.eval); do
  same "run $spec (offline replay)" examples run "$spec" --report out
  for f in results.json report.html junit.xml; do same_file "run $spec" "out/$f" "$timings"; done
done
# --resume of a run journalled by the JIT build: the native tool reads the journal's samples and calls back.
rm -rf "$work/resumed" && cp -r examples "$work/resumed"
( cd "$work/resumed" && jit run sycophancy.eval --report out >/dev/null 2>&1 || true )
same "run --resume of a journalled run" "$work/resumed" run sycophancy.eval --report out --resume
same_file "run --resume" "out/results.json" "$timings"

# The language server: the responses to initialize, hover and shutdown, the diagnostics of a document with an error,
# and the exit code, driven over stdio as an editor does.
cat >"$work/lsp.py" <<'EOF'
import json, subprocess, sys
proc = subprocess.Popen(sys.argv[1:] + ["lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def send(message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()
def receive():
    length = None
    while True:
        line = proc.stdout.readline()
        if not line: raise SystemExit("the server closed its output")
        line = line.strip()
        if not line: break
        if line.lower().startswith(b"content-length:"): length = int(line.split(b":")[1])
    return json.loads(proc.stdout.read(length))
def until(test):
    while True:
        message = receive()
        if test(message): return message
uri = "file:///smoke/bad.eval"
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}, "initializationOptions": {"debounceMilliseconds": 0}}})
print(json.dumps(until(lambda m: m.get("id") == 1), sort_keys=True))
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
text = 'suite "S" {\n  case "c" {\n    user "Hi"\n    must not frobnicate the user\n  }\n}\n'
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "evaldsl", "version": 1, "text": text}}})
print(json.dumps(until(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri), sort_keys=True))
send({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}})
print(json.dumps(until(lambda m: m.get("id") == 2), sort_keys=True))
send({"jsonrpc": "2.0", "id": 3, "method": "shutdown"})
print(json.dumps(until(lambda m: m.get("id") == 3), sort_keys=True))
send({"jsonrpc": "2.0", "method": "exit"})
print("exit code", proc.wait(timeout=30))
EOF
lsp() { python3 "$work/lsp.py" "$@" >"$work/lsp.$build" 2>&1 || true; }
build=jit; lsp dotnet "$repo/src/EvalDsl.Cli/bin/Release/net10.0/evaldsl.dll"
build=aot; lsp "$native"
if ! grep -q '^exit code 0$' "$work/lsp.jit"; then echo "FAIL: lsp with the JIT build:" >&2; cat "$work/lsp.jit" >&2; exit 1; fi
if ! diff "$work/lsp.jit" "$work/lsp.aot" >"$work/diff"; then
  echo "FAIL: lsp: the native tool's session differs from the JIT build's" >&2; head -n 40 "$work/diff" >&2; exit 1
fi
checks=$((checks + 1))
echo "ok   lsp: initialize, diagnostics, hover, shutdown, exit"

echo "aot smoke: $checks checks passed"
