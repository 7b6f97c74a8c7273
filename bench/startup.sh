#!/usr/bin/env bash
# Whole-process start-up of the evaldsl tool as users install it (README: dotnet pack, then dotnet tool install from
# the packed folder; on linux-x64 that is the Native AOT package, elsewhere ReadyToRun; EVALDSL_NATIVE_AOT=false packs
# ReadyToRun on linux-x64 too, to compare): `evaldsl --version`, `evaldsl check` of one file, and the offline `evaldsl run` of the shipped
# example (replaying examples/recordings). Prints, for each, the median, min and max of RUNS runs (default 11) of
# wall time, CPU time (user + sys) and peak memory, measured by /usr/bin/time.
#
# Usage: bench/startup.sh [RUNS]
#   EVALDSL_TOOL=path/to/evaldsl bench/startup.sh   times an evaldsl already installed instead of packing one.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tool=${EVALDSL_TOOL:-}
if [ -z "$tool" ]; then
  version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
  dotnet pack src/EvalDsl.Cli -c Release -o "$work/packages" -v quiet -nologo -p:EvalDslNativeAot="${EVALDSL_NATIVE_AOT:-true}" >/dev/null
  NUGET_PACKAGES="$work/nuget" dotnet tool install EvalDsl.Cli --tool-path "$work/tool" --add-source "$work/packages" --version "$version" >/dev/null
  tool="$work/tool/evaldsl"
fi
# A tool installed with --tool-path is a launcher beside .store/, where the package's files are: native when no
# evaldsl.dll is there.
real=$(find "$(dirname "$tool")/.store" -type f -name evaldsl -perm -u+x 2>/dev/null | head -n 1 || true)
[ -n "$real" ] || real=$(readlink -f "$tool")
kind="Native AOT"
[ -e "$(dirname "$real")/evaldsl.dll" ] && kind="ReadyToRun or JIT (evaldsl.dll beside it)"
echo "tool: $tool ($("$tool" --version), $kind)"

# The example runs in a copy, so its journal and reports do not land in the repository.
cp -r examples "$work/examples"

measure() { # $1 = label, rest = command (run in the copy of examples/)
  local label=$1; shift
  : > "$work/times"
  "$@" >/dev/null 2>&1 || true # warm-up: the file cache, not counted
  for _ in $(seq 1 "$runs"); do
    ( cd "$work/examples" && /usr/bin/time -a -o "$work/times" -f "%e %U %S %M" "$@" >/dev/null 2>&1 ) || true
  done
  awk -v label="$label" '
    # /usr/bin/time adds a "Command exited with non-zero status" line for a blocked launch (exit 1): skip it.
    NF == 4 && $1 ~ /^[0-9.]+$/ { n++; wall[n] = $1; cpu[n] = $2 + $3; mem[n] = $4 / 1024 }
    function median(a, n,   i, j, t, b) {
      for (i = 1; i <= n; i++) b[i] = a[i]
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (b[j] < b[i]) { t = b[i]; b[i] = b[j]; b[j] = t }
      lo = b[1]; hi = b[n]
      return (n % 2) ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
    }
    END {
      w = median(wall, n); wl = lo; wh = hi
      c = median(cpu, n); cl = lo; ch = hi
      m = median(mem, n)
      printf "%-38s wall %.3f s (%.3f..%.3f)  cpu %.3f s (%.3f..%.3f)  peak %.0f MiB  [%d runs]\n", label, w, wl, wh, c, cl, ch, m, n
    }' "$work/times"
}

measure "evaldsl --version" "$tool" --version
measure "evaldsl check sycophancy.eval" "$tool" check sycophancy.eval
measure "evaldsl run sycophancy.eval (replay)" "$tool" run sycophancy.eval
