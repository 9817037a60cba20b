#!/usr/bin/env bash
# Package consumer test: packs LstmGen, then builds, runs and publishes a fresh project (tests/PackageConsumer/template)
# outside the repository that gets LstmGen from the packed .nupkg only. Called by .ci/run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
say() { echo "-- consumer: $*"; }
fail() { echo "-- consumer: FAILED: $*" >&2; exit 1; }

say "packing into $WORK/packages"
dotnet pack "$ROOT/src/LstmGen/LstmGen.csproj" -c Release -o "$WORK/packages" -nologo -v quiet
PACKAGE="$WORK/packages/LstmGen.0.1.0.nupkg"
[[ -f "$PACKAGE" ]] || fail "no LstmGen.0.1.0.nupkg"
unzip -l "$PACKAGE" | grep -q "analyzers/dotnet/cs/LstmGen.Generator.dll" || fail "generator not in analyzers/dotnet/cs"
unzip -l "$PACKAGE" | grep -q "analyzers/dotnet/cs/LstmGen.CodeFixes.dll" || fail "code fixes not in analyzers/dotnet/cs"
unzip -l "$PACKAGE" | grep -q "lib/net8.0/LstmGen.dll" || fail "no lib/net8.0"
unzip -l "$PACKAGE" | grep -q "lib/net10.0/LstmGen.dll" || fail "no lib/net10.0"
if unzip -l "$PACKAGE" | grep -E "lib/.*LstmGen\.(Generator|CodeFixes)\.dll"; then fail "analyzer assemblies packed as lib references"; fi

# The same version may be in the global packages folder from an earlier run: it would shadow the fresh package.
GLOBAL="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
rm -rf "$GLOBAL/lstmgen/0.1.0"

cp -r "$ROOT/tests/PackageConsumer/template" "$WORK/consumer"
cat > "$WORK/consumer/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$WORK/packages" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="LstmGen" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
CONFIG
cd "$WORK/consumer"

say "net10.0: build and run"
dotnet build -c Release -nologo -v quiet > build.log 2>&1 || { cat build.log; fail "net10.0 build"; }
dotnet bin/Release/net10.0/Consumer.dll | tee jit.txt
grep -q "consumer: OK" jit.txt || fail "net10.0 run"

say "determinism: a rebuild emits byte-identical generated sources"
cp -r obj/Release/net10.0/generated "$WORK/generated-1"
dotnet build -c Release -nologo -v quiet --no-incremental > rebuild.log 2>&1 || { cat rebuild.log; fail "rebuild"; }
diff -r "$WORK/generated-1" obj/Release/net10.0/generated || fail "generated sources differ between builds"
ls "$WORK/generated-1"/LstmGen.Generator/LstmGen.Generator.LstmGenerator/

say "an invalid configuration fails the build with its diagnostic"
if dotnet build -c Release -nologo -p:IncludeInvalid=true > invalid.log 2>&1; then fail "the invalid configuration built"; fi
grep -E "error LSTM002: hiddenSize must be at least 1, but it is 0" invalid.log | head -1 || { cat invalid.log; fail "no LSTM002"; }
if grep -E "error CS" invalid.log; then fail "compiler errors cascaded from the invalid configuration"; fi

say "net8.0: build"
dotnet build -c Release -nologo -v quiet -p:ConsumerFramework=net8.0 > net8.log 2>&1 || { cat net8.log; fail "net8.0 build"; }
if dotnet --list-runtimes | grep -q "^Microsoft.NETCore.App 8\."; then
  dotnet bin/Release/net8.0/Consumer.dll > net8.txt
  diff jit.txt net8.txt || fail "net8.0 output differs"
  say "net8.0: ran, same output"
else
  say "net8.0: built only (no .NET 8 runtime on this machine to run it)"
fi

say "Native AOT: publish, no warnings, same output"
dotnet publish -c Release -r linux-x64 -p:PublishAot=true -nologo -o "$WORK/aot" > aot.log 2>&1 || { cat aot.log; fail "AOT publish"; }
if grep -E "warning (IL|CS|LSTM)" aot.log; then fail "trim/AOT warnings"; fi
"$WORK/aot/Consumer" | tee aot.txt
diff jit.txt aot.txt || fail "the AOT build prints different results"
say "all checks passed"
