#!/usr/bin/env bash
# Package consumer test: packs the solution (which yields one package, LstmGen), then builds, runs and publishes a fresh
# project (tests/PackageConsumer/template) outside the repository that gets LstmGen from the packed .nupkg only, restoring
# into a per-run NuGet packages folder. Called by .ci/run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
say() { echo "-- consumer: $*"; }
fail() { echo "-- consumer: FAILED: $*" >&2; exit 1; }

# The README's pack command: the whole solution, which must produce exactly one package, LstmGen.<version>.nupkg.
VERSION="$(dotnet msbuild "$ROOT/src/LstmGen/LstmGen.csproj" -getProperty:Version -nologo)"
TEMPLATE_VERSION="$(grep -oP '<PackageReference Include="LstmGen" Version="\K[^"]+' "$ROOT/tests/PackageConsumer/template/Consumer.csproj")"
[[ "$TEMPLATE_VERSION" == "$VERSION" ]] || fail "template/Consumer.csproj references LstmGen $TEMPLATE_VERSION, the repository builds $VERSION: update the template"
say "packing LstmGen.sln into $WORK/packages"
dotnet pack "$ROOT/LstmGen.sln" -c Release -o "$WORK/packages" -nologo -v quiet
PACKED="$(cd "$WORK/packages" && ls -A)"
[[ "$PACKED" == "LstmGen.$VERSION.nupkg" ]] || fail "the pack output should hold exactly LstmGen.$VERSION.nupkg, it holds: ${PACKED:-nothing}"
PACKAGE="$WORK/packages/LstmGen.$VERSION.nupkg"
# The listing is read into a variable first: with pipefail, 'unzip -l | grep -q' fails whenever grep exits at its match
# before unzip has written everything (unzip then dies of SIGPIPE).
LISTING="$(unzip -l "$PACKAGE")"
grep -q "analyzers/dotnet/cs/LstmGen.Generator.dll" <<< "$LISTING" || fail "generator not in analyzers/dotnet/cs"
grep -q "analyzers/dotnet/cs/LstmGen.CodeFixes.dll" <<< "$LISTING" || fail "code fixes not in analyzers/dotnet/cs"
grep -q "lib/net8.0/LstmGen.dll" <<< "$LISTING" || fail "no lib/net8.0"
grep -q "lib/net10.0/LstmGen.dll" <<< "$LISTING" || fail "no lib/net10.0"
if grep -E "lib/.*LstmGen\.(Generator|CodeFixes)\.dll" <<< "$LISTING"; then fail "analyzer assemblies packed as lib references"; fi
say "packed $(basename "$PACKAGE"), the only package"

# A per-run NuGet packages folder, so the consumer restores the LstmGen just packed and never one an earlier run left
# in the user's global packages folder (same version, other contents), and this test leaves that folder alone. It is
# set only now, after the pack: the solution keeps restoring from the user's folder. Every other package the consumer
# needs (reference and runtime packs, the ILCompiler for the AOT publish) is restored from the feed again into it.
export NUGET_PACKAGES="$WORK/nuget-packages"

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
[[ -d "$NUGET_PACKAGES/lstmgen/$VERSION" ]] || fail "LstmGen was not restored into the per-run packages folder"
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

# net8.0: built always. Running it needs a .NET 8 runtime, which the .NET 10 SDK does not bring (this machine and CI
# have none). Without one, the net8.0 build is run on the .NET 10 runtime with DOTNET_ROLL_FORWARD=Major: that checks
# the net8.0 library and the code generated for a net8.0 target give the same results, but it proves only that the
# net8.0 build runs on .NET 10, not that it runs on .NET 8 - so running on .NET 8 is reported as SKIPPED.
say "net8.0: build"
dotnet build -c Release -nologo -v quiet -p:ConsumerFramework=net8.0 > net8.log 2>&1 || { cat net8.log; fail "net8.0 build"; }
RUNTIMES="$(dotnet --list-runtimes)"
if grep -q "^Microsoft.NETCore.App 8\." <<< "$RUNTIMES"; then
  dotnet bin/Release/net8.0/Consumer.dll > net8.txt
  diff jit.txt net8.txt || fail "net8.0 output differs"
  say "net8.0: ran on .NET 8, same output"
else
  DOTNET_ROLL_FORWARD=Major dotnet bin/Release/net8.0/Consumer.dll > net8.txt
  diff jit.txt net8.txt || fail "net8.0 output (on the .NET 10 runtime) differs"
  say "net8.0: ran on the .NET 10 runtime (DOTNET_ROLL_FORWARD=Major), same output: the net8.0 build runs on .NET 10"
  say "SKIPPED: running the net8.0 build on .NET 8 (no .NET 8 runtime installed; it was built, and run on .NET 10 only)"
fi

say "Native AOT: publish, no warnings, same output"
dotnet publish -c Release -r linux-x64 -p:PublishAot=true -nologo -o "$WORK/aot" > aot.log 2>&1 || { cat aot.log; fail "AOT publish"; }
if grep -E "warning (IL|CS|LSTM)" aot.log; then fail "trim/AOT warnings"; fi
"$WORK/aot/Consumer" | tee aot.txt
diff jit.txt aot.txt || fail "the AOT build prints different results"
say "all checks passed"
