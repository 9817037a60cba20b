// Time of the LstmGen generator on a compilation with 50 [Lstm] types of mixed sizes (a cold run, then the
// median of warm full runs, then an incremental run after an unrelated edit), and the largest emitted file.
using System.Diagnostics;
using LstmGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

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

GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(new[] { new LstmGenerator().AsSourceGenerator() }, parseOptions: parse);

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

var largest = result.GeneratedSources.OrderByDescending(s => s.SourceText.Length).First();
long total = result.GeneratedSources.Sum(s => (long)s.SourceText.Length);
Console.WriteLine($"50 [Lstm] types: cold run {cold:F0} ms (includes loading and JIT of the generator), warm run {warm.OrderBy(v => v).ElementAt(4):F0} ms (median of 9), after an unrelated edit {incremental:F1} ms");
Console.WriteLine($"{result.GeneratedSources.Length} files, {total / 1024.0:F0} KiB in all; largest {largest.HintName}: {largest.SourceText.Length / 1024.0:F0} KiB, {largest.SourceText.Lines.Count} lines");
