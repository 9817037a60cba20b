using System.Runtime.CompilerServices;
using LstmGen.Generator.Emit.Kernels;
using Xunit;

namespace LstmGen.Generator.Tests;

/// <summary>
/// <c>src/LstmGen/Kernels/GradientKernels.cs</c> is written by <see cref="Write"/> below (the generator emitted these
/// helpers into every kernel file until they moved to the runtime; they depend on the vector width only). The test
/// fails when the committed file differs from what the tool writes; <c>LSTMGEN_UPDATE_SNAPSHOTS=1</c> rewrites it.
/// </summary>
public sealed class GradientKernelsFileTests
{
    private const string Header = """
        // The gradient row-block kernels every generated layer shares: they depend on the vector width only, not on the
        // layer's sizes (a row's width, the strides and the step count are arguments), so they live here once instead of in
        // every generated kernel file. Written by tests/LstmGen.Generator.Tests/GradientKernelsFileTests.cs (which fails when
        // this file differs from what it writes); the parameter-gradient parity tests cover them through the generated kernels.
        using System.Runtime.CompilerServices;
        using U = System.Runtime.CompilerServices.Unsafe;
        using V512 = System.Runtime.Intrinsics.Vector512;
        using V256 = System.Runtime.Intrinsics.Vector256;
        using V128 = System.Runtime.Intrinsics.Vector128;
        using F512 = System.Runtime.Intrinsics.Vector512<float>;
        using F256 = System.Runtime.Intrinsics.Vector256<float>;
        using F128 = System.Runtime.Intrinsics.Vector128<float>;
        using static LstmGen.Kernels.Simd;

        namespace LstmGen.Kernels;

        /// <summary>
        /// Outer-product accumulation over many steps, for the parameter gradients after a backward pass's time loop:
        /// <c>gradient[r·width + c] += Σ_t scale_t[r]·dz_t[c]</c> for a few rows r at a time (<c>GradientRows{R}x{bits}</c>), and
        /// <c>gradient[c] += Σ_t dz_t[c]</c> for a bias (<c>GradientRows0x{bits}</c>). Called by generated kernels; offsets and
        /// lengths are not checked (the generated public members validate every span first, and a row is at least one
        /// vector wide or has a previous panel before it in the same buffer).
        /// </summary>
        public static class GradientKernels
        """;

    [Fact]
    public void The_runtime_file_is_what_the_tool_writes()
    {
        string path = Path.Combine(RepositoryRoot(), "src", "LstmGen", "Kernels", "GradientKernels.cs");
        string expected = Write();
        if (Environment.GetEnvironmentVariable("LSTMGEN_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, expected);
        }

        Assert.Equal(expected, File.ReadAllText(path).Replace("\r\n", "\n"));
    }

    /// <summary>The file: for each vector width, blocks of R rows (4 with 16 lanes, else 2), one row, and the bias sum.</summary>
    private static string Write()
    {
        var w = new SourceWriter();
        w.Lines(Header);
        using (w.Braces())
        {
            bool first = true;
            foreach ((int lanes, int rowsPerBlock, int vectorsPerBlock) in new[] { (16, 4, 4), (8, 2, 3), (4, 2, 3) })
            {
                var v = new VectorSyntax(lanes);
                foreach (int rows in new[] { rowsPerBlock, 1, 0 })
                {
                    if (!first)
                    {
                        w.Line();
                    }

                    first = false;
                    w.Line("/// <summary>");
                    w.Line(rows == 0
                        ? "/// gradient[c] += Σ_t dz_t[c] for c &lt; width (a bias): dz_t is dzStride floats after dz_{t-1}."
                        : $"/// gradient[r·width + c] += Σ_t scale_t[r]·dz_t[c] for r &lt; {rows}, c &lt; width: scale_t is scaleStride floats after scale_{{t-1}},");
                    if (rows > 0)
                    {
                        w.Line($"/// dz_t dzStride floats after dz_{{t-1}}. Register blocks of {rows} row(s) × {vectorsPerBlock} vectors: each dz load serves every row. Each");
                        w.Line("/// block's sum over the steps starts from zero and is added once, so two identical calls add exactly the same amount.");
                    }

                    w.Line("/// </summary>");
                    w.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
                    w.Line("[SkipLocalsInit]");
                    w.Line($"public static void GradientRows{rows}x{v.Bits}(ref float gradient, nuint width, ref float dz, nuint dzStride, ref float scale, nuint scaleStride, int steps)");
                    using (w.Braces())
                    {
                        GradientBlocks(w, v, rows, vectorsPerBlock);
                    }
                }
            }
        }

        // The runtime's house style indents with four spaces.
        return string.Join("\n", w.ToString().Split('\n').Select(line =>
        {
            int tabs = line.Length - line.TrimStart('\t').Length;
            return new string(' ', 4 * tabs) + line.Substring(tabs);
        }));
    }

    /// <summary>
    /// A helper's body: blocks of <paramref name="vectorsPerBlock"/> vectors over the runtime width, single vectors, then
    /// a last vector ending at the row's end whose overlapping lanes are masked out. With <paramref name="rows"/> = 0 it
    /// sums dz itself (a bias gradient).
    /// </summary>
    private static void GradientBlocks(SourceWriter w, VectorSyntax v, int rows, int vectorsPerBlock)
    {
        int lanes = v.Lanes;
        int sets = Math.Max(rows, 1);
        w.Line("nuint c = 0;");
        foreach ((int vectors, string head, bool tail) in new[]
        {
            (vectorsPerBlock, $"for (; c + {vectorsPerBlock * lanes} <= width; c += {vectorsPerBlock * lanes})", false),
            (1, $"for (; c + {lanes} <= width; c += {lanes})", false),
            (1, "if (c < width)", true),
        })
        {
            w.Line(head);
            using (w.Braces())
            {
                if (tail)
                {
                    w.Line("// The last vector ends at the row's end and overlaps the previous one: only its last width - c lanes are added. In a");
                    w.Line("// panel narrower than a vector it starts before the row (in the previous panel's columns): those lanes add zero.");
                    w.Line($"var keep = LanesFrom{v.Bits}((int)({lanes} - (width - c)));");
                    w.Line($"nint start = (nint)width - {lanes};");
                }

                string Off(int x) => tail ? "start" : x == 0 ? "c" : $"c + {x * lanes}";
                for (int r = 0; r < sets; r++)
                {
                    for (int x = 0; x < vectors; x++)
                    {
                        w.Line($"var sum{r}{x} = {v.Zero};");
                    }
                }

                w.Line("ref float dzT = ref dz;");
                if (rows > 0)
                {
                    w.Line("ref float scaleT = ref scale;");
                }

                w.Line("for (int t = 0; t < steps; t++)");
                using (w.Braces())
                {
                    for (int x = 0; x < vectors; x++)
                    {
                        w.Line(tail ? $"var d{x} = {v.Class}.LoadUnsafe(ref U.Add(ref dzT, start));" : $"var d{x} = {v.Load("dzT", Off(x))};");
                    }

                    if (rows == 0)
                    {
                        for (int x = 0; x < vectors; x++)
                        {
                            w.Line($"sum0{x} += d{x};");
                        }
                    }
                    else
                    {
                        for (int r = 0; r < rows; r++)
                        {
                            w.Line($"var u{r} = {v.Broadcast(r == 0 ? "scaleT" : $"U.Add(ref scaleT, {r})")};");
                            for (int x = 0; x < vectors; x++)
                            {
                                w.Line($"sum{r}{x} = {v.Fma($"d{x}", $"u{r}", $"sum{r}{x}")};");
                            }
                        }

                        w.Line("scaleT = ref U.Add(ref scaleT, scaleStride);");
                    }

                    w.Line("dzT = ref U.Add(ref dzT, dzStride);");
                }

                for (int r = 0; r < sets; r++)
                {
                    for (int x = 0; x < vectors; x++)
                    {
                        if (tail)
                        {
                            string at = r == 0 ? "ref U.Add(ref gradient, start)" : $"ref U.Add(ref gradient, (nint)({r} * width) + start)";
                            w.Line($"{v.Class}.StoreUnsafe({v.Class}.LoadUnsafe({at}) + (sum{r}{x} & keep), {at});");
                            continue;
                        }

                        string offset = r == 0 ? Off(x) : $"{r} * width + {Off(x)}";
                        w.Line(v.Store($"{v.Load("gradient", offset)} + sum{r}{x}", "gradient", offset));
                    }
                }

                if (tail)
                {
                    w.Line("c = width;");
                }
            }
        }
    }

    private static string RepositoryRoot([CallerFilePath] string callerPath = "")
    {
        for (string? folder = Path.GetDirectoryName(callerPath); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "LstmGen.sln")))
            {
                return folder;
            }
        }

        throw new InvalidOperationException("LstmGen.sln not found above " + callerPath);
    }
}
