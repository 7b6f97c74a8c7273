#!/usr/bin/env bash
# The language server as an editor meets it (the real `evaldsl lsp` process over stdio):
#   - from a didChange to its publishDiagnostics, on a generated spec of 10,000 cases (about 50,000 lines) and of
#     100 cases (about 500 lines): median and p90 of 30 edits after 5 warm-up edits;
#   - the server's resident memory with 100 open specs of 100 cases each.
# Usage: bench/lsp-latency.sh [changes]
set -euo pipefail
cd "$(dirname "$0")/.."
changes=${1:-30}
dotnet build src/EvalDsl.Cli -c Release -v quiet -nologo >/dev/null
dotnet build bench/LspLatency -c Release -v quiet -nologo >/dev/null
dll=src/EvalDsl.Cli/bin/Release/net10.0/evaldsl.dll
bench=bench/LspLatency/bin/Release/net10.0/LspLatency.dll
dotnet "$bench" "$dll" latency 100 "$changes"
dotnet "$bench" "$dll" latency 10000 "$changes"
dotnet "$bench" "$dll" memory 100 100
