// Time of the LstmGen generator on a compilation with 50 [Lstm] types of mixed sizes (a cold run, then the
// median of warm full runs, then an incremental run after an unrelated edit), the bytes it emits and the largest
// file; then the files of one [Lstm(16, 64, 32)] (and [Gru(16, 64, 32)]) with the default instruction sets and with
// LstmGenInstructionSets restricted. Sizes are UTF-8 bytes, what an IDE reads from disk (the text has some non-ASCII
// characters, e.g. ⊙ in comments, so bytes exceed characters slightly).
using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using LstmGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

var random = new Random(50);
int[] hidden = { 1, 5, 8, 12, 16, 17, 24, 32, 33, 48, 64, 96, 100, 128, 256, 512 };
var source = new System.Text.StringBuilder("namespace Cost;\n");
for (int n = 0; n < 50; n++)
{
    source.Append($"[LstmGen.Lstm({random.Next(1, 129)}, {hidden[n % hidden.Length]}, {random.Next(1, 257)})] public partial class Model{n} {{ }}\n");
}

string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
var references = tpa.Split(Path.PathSeparator)
    .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll")
    .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
    .Append(MetadataReference.CreateFromFile(typeof(LstmGen.LstmAttribute).Assembly.Location));
var parse = new CSharpParseOptions(LanguageVersion.Latest);
var compilation = CSharpCompilation.Create("Cost", new[] { CSharpSyntaxTree.ParseText(source.ToString(), parse, "Models.cs"), CSharpSyntaxTree.ParseText("class Other { }", parse, "Other.cs") },
    references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));

GeneratorDriver NewDriver(string? instructionSets = null) => CSharpGeneratorDriver.Create(
    new[] { new LstmGenerator().AsSourceGenerator() }, parseOptions: parse, optionsProvider: new BuildProperties(instructionSets));

var stopwatch = Stopwatch.StartNew();
GeneratorDriver driver = NewDriver().RunGenerators(compilation);
double cold = stopwatch.Elapsed.TotalMilliseconds;
GeneratorRunResult result = driver.GetRunResult().Results.Single();

var warm = new List<double>();
for (int i = 0; i < 9; i++)
{
    stopwatch.Restart();
    NewDriver().RunGenerators(compilation);
    warm.Add(stopwatch.Elapsed.TotalMilliseconds);
}

// An unrelated edit: every step is cached, nothing is re-emitted.
SyntaxTree other = compilation.SyntaxTrees.Single(t => t.FilePath == "Other.cs");
var edited = compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("class Other { int x; }", parse, "Other.cs"));
stopwatch.Restart();
driver.RunGenerators(edited);
double incremental = stopwatch.Elapsed.TotalMilliseconds;

static long Bytes(GeneratedSourceResult file) => Encoding.UTF8.GetByteCount(file.SourceText.ToString());
static string Kilobytes(long bytes) => $"{bytes / 1000.0:N1} KB";

var largest = result.GeneratedSources.MaxBy(Bytes);
long total = result.GeneratedSources.Sum(Bytes);
int kernelFiles = result.GeneratedSources.Count(s => s.HintName.StartsWith("LstmGen.Generated.", StringComparison.Ordinal));
Console.WriteLine($"50 [Lstm] types: cold run {cold:F0} ms (includes loading and JIT of the generator), warm run {warm.OrderBy(v => v).ElementAt(4):F0} ms (median of 9), after an unrelated edit {incremental:F1} ms");
Console.WriteLine($"{result.GeneratedSources.Length} files ({kernelFiles} kernel files, one per distinct (I, H)), {total / 1e6:F2} MB in all ({result.GeneratedSources.Sum(s => (long)s.SourceText.Length) / 1e6:F2} M characters); largest {largest.HintName}: {Kilobytes(Bytes(largest))}, {largest.SourceText.Lines.Count:N0} lines");

// The same 50 types with only two paths kept (a Native AOT build for x86-64-v4 would keep just these).
GeneratorRunResult restricted = NewDriver("Avx512,Scalar").RunGenerators(compilation).GetRunResult().Results.Single();
var restrictedLargest = restricted.GeneratedSources.MaxBy(Bytes);
Console.WriteLine($"with LstmGenInstructionSets = Avx512,Scalar: {restricted.GeneratedSources.Sum(Bytes) / 1e6:F2} MB in all; largest {restrictedLargest.HintName}: {Kilobytes(Bytes(restrictedLargest))}, {restrictedLargest.SourceText.Lines.Count:N0} lines");

// One type of the issue's example size, alone in a compilation: its own file and its kernel file.
Console.WriteLine();
Console.WriteLine("One type alone, its file + its kernel file (UTF-8 bytes, lines):");
foreach (string attribute in new[] { "LstmGen.Lstm(16, 64, 32)", "LstmGen.Gru(16, 64, 32)" })
{
    var single = CSharpCompilation.Create("Single", new[] { CSharpSyntaxTree.ParseText($"namespace Cost; [{attribute}] public partial class Forecaster {{ }}", parse, "Forecaster.cs") },
        references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
    foreach (string? sets in new[] { null, "Avx512,Avx2,Vector128", "Avx512,Scalar", "Avx2,Scalar", "Avx512" })
    {
        GeneratorRunResult run = NewDriver(sets).RunGenerators(single).GetRunResult().Results.Single();
        if (run.GeneratedSources.IsEmpty || !run.Diagnostics.IsEmpty)
        {
            throw new InvalidOperationException($"{attribute} with LstmGenInstructionSets = '{sets}' generated nothing: {string.Join("; ", run.Diagnostics)}");
        }

        string files = string.Join(" + ", run.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).Select(s => $"{s.HintName} {Kilobytes(Bytes(s))} ({s.SourceText.Lines.Count:N0} lines)"));
        Console.WriteLine($"[{attribute}], LstmGenInstructionSets = {sets ?? "(default: all)"}: {Kilobytes(run.GeneratedSources.Sum(Bytes))} = {files}");
    }
}

/// <summary>The MSBuild properties the generator reads (build_property.*), here only LstmGenInstructionSets.</summary>
internal sealed class BuildProperties(string? instructionSets) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Values(instructionSets is null
        ? ImmutableDictionary<string, string>.Empty
        : ImmutableDictionary<string, string>.Empty.Add("build_property.LstmGenInstructionSets", instructionSets));

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Values.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Values.Empty;

    private sealed class Values(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Values Empty = new(ImmutableDictionary<string, string>.Empty);

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
