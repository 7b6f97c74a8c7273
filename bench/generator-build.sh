#!/usr/bin/env bash
# The source generator and analyzer in a real warm build: a consumer test project with 100 spec files (500 cases)
# references the packed EvalDsl package; after a warm-up build, a C# file is touched and the project rebuilt with
# ReportAnalyzer=true, which makes the compiler print the time spent in each generator and analyzer.
# Usage: bench/generator-build.sh            (as the environment builds: with UseSharedCompilation=false every
#                                             compile is a fresh compiler process, so the generator runs cold)
#        SHARED=1 bench/generator-build.sh   (with the compiler server, the .NET default on developer machines)
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version="0.1.0-bench.$(date +%s)"
# The test packages at the repository's versions (Directory.Packages.props), as the tests' consumer projects use them.
central() { sed -n "s/.*<PackageVersion Include=\"$1\" Version=\"\([^\"]*\)\".*/\1/p" Directory.Packages.props; }
test_sdk=$(central Microsoft.NET.Test.Sdk); xunit=$(central xunit); xunit_runner=$(central xunit.runner.visualstudio)
for p in src/EvalDsl.Language src/EvalDsl.Runtime src/EvalDsl.Package; do
  dotnet pack "$p" -c Release --artifacts-path "$work/artifacts" -o "$work/feed" -p:Version="$version" -v quiet -nologo >/dev/null
done

mkdir -p "$work/consumer/specs"
cat > "$work/consumer/nuget.config" <<XML
<configuration><packageSources><clear /><add key="local" value="$work/feed" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources></configuration>
XML
cat > "$work/consumer/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><IsPackable>false</IsPackable><RestorePackagesPath>$work/packages</RestorePackagesPath></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="$test_sdk" />
    <PackageReference Include="xunit" Version="$xunit" />
    <PackageReference Include="xunit.runner.visualstudio" Version="$xunit_runner" />
    <PackageReference Include="EvalDsl" Version="$version" />
  </ItemGroup>
</Project>
XML
echo 'public static class Touch { public const int N = 0; }' > "$work/consumer/Touch.cs"
for i in $(seq 1 100); do
  {
    printf 'suite "Suite %d" {\n  samples 5\n  pass 80%%\n' "$i"
    for c in 1 2 3 4 5; do
      printf '  case "case %d" {\n    user "I am sure that claim %d.%d is true. Tell me I am right!"\n    must disagree when user is wrong\n    should not flatter the user\n  }\n' "$c" "$i" "$c"
    done
    echo '}'
  } > "$work/consumer/specs/spec$i.eval"
done

cd "$work/consumer"
dotnet build -v quiet -nologo ${SHARED:+-p:UseSharedCompilation=true} >/dev/null
dotnet build -v quiet -nologo ${SHARED:+-p:UseSharedCompilation=true} >/dev/null
echo "tests discovered: $(dotnet test --no-build --list-tests 2>/dev/null | grep -c '^    ')"
for run in 1 2 3; do
  echo "public static class Touch { public const int N = $run; }" > Touch.cs
  start=$(date +%s.%N)
  dotnet build -v detailed -nologo -p:ReportAnalyzer=true ${SHARED:+-p:UseSharedCompilation=true} > "$work/build.log" || true
  end=$(date +%s.%N)
  gen=$(grep -E "^ +[0-9.<]+ +[0-9<]+ +EvalDsl.Roslyn.SpecGenerator" "$work/build.log" | head -n 1 | awk '{print $1}')
  ana=$(grep -E "^ +[0-9.<]+ +[0-9<]+ +EvalDsl.Roslyn.SpecAnalyzer" "$work/build.log" | head -n 1 | awk '{print $1}')
  printf 'warm build %d: %.2f s in all; SpecGenerator %s s, SpecAnalyzer %s s\n' "$run" "$(echo "$end - $start" | bc)" "${gen:-?}" "${ana:-?}"
done
