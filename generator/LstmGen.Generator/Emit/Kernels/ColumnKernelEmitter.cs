using System;
using System.Collections.Generic;
using System.Linq;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emit.Kernels;

/// <summary>
/// The backward pass's products over packed columns, shared by every cell: the transposed products
/// W_hhᵀ·dz and W_ihᵀ·dz (dot products of weight rows with a gradient vector laid out like those rows), and the
/// parameter-gradient accumulation Σ_t u_t ⊗ dz_t into the same panel layout as the parameters.
/// </summary>
/// <remarks>
/// A panel's row of <c>width</c> columns is covered by vectors from column 0; when width is not a multiple of the
/// lanes, one more vector ends exactly at the row's end and overlaps the previous one: its overlapping lanes are
/// masked out (zeroed in dot products, not added in accumulations).
/// </remarks>
internal static class ColumnKernelEmitter
{
    /// <summary>The panels of a layer as (loop count or 1, first explicit panel): full panels run in a loop.</summary>
    private static IEnumerable<(bool Loop, int Panel, int Count)> PanelRuns(KernelContext ctx, PathPlan path)
    {
        int loop = ctx.LoopPanels(path);
        if (loop > 0)
        {
            yield return (true, 0, loop);
        }

        for (int p = loop; p < ctx.Layout.PanelCount; p++)
        {
            yield return (false, p, 1);
        }
    }

    /// <summary>Emits <paramref name="body"/> once per panel run, with C# expressions for the panel's parameter start and packed column start.</summary>
    public static void ForEachPanel(KernelContext ctx, PathPlan path, Action<int, string, string> body)
    {
        SourceWriter w = ctx.W;
        foreach ((bool loop, int panel, int count) in PanelRuns(ctx, path))
        {
            int width = ctx.Layout.PanelWidth(panel);
            if (loop)
            {
                w.Line($"for (nuint panel = 0; panel < {count}; panel++)");
                using (w.Braces())
                {
                    body(width, $"panel * {ctx.FullPanelStride}", $"panel * {width}");
                }
            }
            else
            {
                using (w.Braces())
                {
                    body(width, VectorSyntax.Int(ctx.Layout.PanelStart(panel)), VectorSyntax.Int(ctx.Layout.ColumnStart(panel)));
                }
            }
        }
    }

    /// <summary>
    /// ∂L/∂h_{t-1} = W_hhᵀ·dz (added to what the cell's backward pass left there when <c>accumulate</c>): dot products
    /// of <c>Lanes</c> rows at a time with dz, summed by one shuffle tree.
    /// </summary>
    public static void EmitHiddenGradient(KernelContext ctx, PathPlan path, bool accumulate)
    {
        SourceWriter w = ctx.W;
        var v = new VectorSyntax(path.Lanes);
        int rows = path.Lanes;
        int h = ctx.Layout.HiddenSize;
        int blocks = h / rows;
        w.Line("/// <summary>");
        w.Line(accumulate
            ? "/// ∂L/∂h_{t-1} += W_hhᵀ·dz: dot products of W_hh's rows (all panels) with dz, added to the direct term already there."
            : "/// ∂L/∂h_{t-1} = W_hhᵀ·dz: dot products of W_hh's rows (all panels) with dz.");
        w.Line($"/// {rows} rows at a time share every dz load; one shuffle tree turns their {rows} partial sums into {rows} results.");
        w.Line("/// With <paramref name=\"reverse\"/> the row blocks run last to first (alternate steps reuse what is in L1).");
        w.Line("/// </summary>");
        ctx.MethodAttributes();
        w.Line($"public static void HiddenGradient{path.Suffix}(ref float weights, ref float dz, ref float hiddenGradient, bool reverse)");
        using (w.Braces())
        {
            if (blocks > 0)
            {
                w.Line($"for (nuint b = 0; b < {blocks}; b++)");
                using (w.Braces())
                {
                    w.Line($"nuint j = (reverse ? {blocks - 1} - b : b) * {rows};");
                    EmitDotBlock(ctx, path, v, rows, $"{ctx.Layout.InputSize} + j", accumulate, "hiddenGradient", "j", "dz");
                }
            }

            if (h % rows != 0)
            {
                w.Line($"for (nuint j = {blocks * rows}; j < HiddenSize; j++)");
                using (w.Braces())
                {
                    EmitDotBlock(ctx, path, v, 1, $"{ctx.Layout.InputSize} + j", accumulate, "hiddenGradient", "j", "dz");
                }
            }
        }
    }

    /// <summary>∂L/∂x_t = W_ihᵀ·dz_t for every step, after the time loop: each block of rows stays in L1 while every step's dz streams past.</summary>
    public static void EmitInputGradients(KernelContext ctx, PathPlan path)
    {
        SourceWriter w = ctx.W;
        var v = new VectorSyntax(path.Lanes);
        int rows = path.Lanes;
        int i = ctx.Layout.InputSize;
        int blocks = i / rows;
        w.Line("/// <summary>");
        w.Line("/// ∂L/∂x_t = W_ihᵀ·dz_t for every step, after the time loop (nothing in the recurrence needs it): each block of");
        w.Line($"/// {rows} rows of W_ih stays in the L1 cache while every step's dz streams past.");
        w.Line("/// </summary>");
        ctx.MethodAttributes();
        w.Line($"public static void InputGradients{path.Suffix}(ref float weights, ref float tape, int steps, ref float inputGradient)");
        using (w.Braces())
        {
            w.Line($"ref float firstDz = ref U.Add(ref tape, TapeHeaderLength + TapeStride + {ctx.Tape.InputSideGradient});");
            foreach ((int count, string? loop) in new (int, string?)[]
            {
                (rows, blocks > 0 ? $"for (nuint k = 0; k < {blocks * rows}; k += {rows})" : null),
                (1, i % rows != 0 ? $"for (nuint k = {blocks * rows}; k < InputSize; k++)" : null),
            })
            {
                if (loop is null)
                {
                    continue;
                }

                w.Line(loop);
                using (w.Braces())
                {
                    w.Line("ref float dz = ref firstDz;");
                    w.Line("for (int t = 0; t < steps; t++)");
                    using (w.Braces())
                    {
                        EmitDotBlock(ctx, path, v, count, "k", accumulate: false, "inputGradient", "(nuint)t * InputSize + k", "dz");
                        w.Line("dz = ref U.Add(ref dz, TapeStride);");
                    }
                }
            }
        }
    }

    /// <summary>
    /// Dot products of <paramref name="rows"/> consecutive weight rows (row index <paramref name="firstRow"/> within
    /// each panel's rows) with a packed gradient vector, stored (or added) at <paramref name="target"/>[<paramref name="index"/>].
    /// </summary>
    private static void EmitDotBlock(KernelContext ctx, PathPlan path, VectorSyntax v, int rows, string firstRow, bool accumulate, string target, string index, string dz)
    {
        SourceWriter w = ctx.W;
        for (int r = 0; r < rows; r++)
        {
            w.Line($"var sum{r} = {v.Zero};");
        }

        ForEachPanel(ctx, path, (width, panelStart, columnStart) =>
        {
            int full = width / path.Lanes * path.Lanes;
            w.Line($"ref float panelRows = ref U.Add(ref weights, {panelStart} + ({firstRow}) * {width});");
            w.Line($"ref float panelDz = ref U.Add(ref {dz}, {columnStart});");
            if (full > 0)
            {
                w.Line($"for (nuint c = 0; c < {full}; c += {path.Lanes})");
                using (w.Braces())
                {
                    w.Line($"var d = {v.Load("panelDz", "c")};");
                    for (int r = 0; r < rows; r++)
                    {
                        w.Line($"sum{r} = {v.Fma(v.Load("panelRows", r == 0 ? "c" : $"{r * width} + c"), "d", $"sum{r}")};");
                    }
                }
            }

            if (full < width)
            {
                int tail = width - path.Lanes;
                w.Line($"// The last vector ends at column {width} and overlaps the previous one: only its last {width - full} lanes count.");
                w.Line($"var dTail = {v.Load("panelDz", tail)} & {v.LanesFrom(path.Lanes - (width - full))};");
                for (int r = 0; r < rows; r++)
                {
                    w.Line($"sum{r} = {v.Fma(v.Load("panelRows", r * width + tail), "dTail", $"sum{r}")};");
                }
            }
        });

        string result = rows == 1 ? $"{v.Class}.Sum(sum0)" : $"Simd.SumEach({string.Join(", ", Enumerable.Range(0, rows).Select(r => $"sum{r}"))})";
        if (rows == 1)
        {
            w.Line(accumulate ? $"U.Add(ref {target}, {index}) += {result};" : $"U.Add(ref {target}, {index}) = {result};");
        }
        else
        {
            w.Line(accumulate
                ? v.Store($"{v.Load(target, index)} + {result}", target, index)
                : v.Store(result, target, index));
        }
    }

    /// <summary>
    /// Parameter gradients after the time loop: ∂L/∂W_ih[k] += Σ_t x_t[k]·dz_t, ∂L/∂W_hh[j] += Σ_t h_{t-1}[j]·dz_t,
    /// ∂L/∂b += Σ_t dz_t, each in the parameters' own layout. Register blocks of rows × column vectors: every dz
    /// load serves several rows, every broadcast several vectors. Each block's sum over the steps starts from zero
    /// and is added once, so two identical calls add exactly the same amount.
    /// </summary>
    public static void EmitParameterGradients(KernelContext ctx, PathPlan path)
    {
        SourceWriter w = ctx.W;
        var v = new VectorSyntax(path.Lanes);
        bool wide = path.Isa == Isa.Vector512;
        int rowsPerBlock = wide ? 4 : 2;
        int vectorsPerBlock = wide ? 4 : 3;
        LstmGen.Generator.Cells.TapeRowLayout t = ctx.Tape;
        w.Line("/// <summary>");
        w.Line("/// Parameter gradients after the time loop: ∂L/∂W_ih[k] += Σ_t x_t[k]·dz_t, ∂L/∂W_hh[j] += Σ_t h_{t-1}[j]·dz_t,");
        w.Line("/// ∂L/∂b_ih += Σ_t dz_t (W_ih side), ∂L/∂b_hh += Σ_t dz_t (W_hh side), in the parameters' panel layout.");
        w.Line($"/// Register blocks of {rowsPerBlock} rows × {vectorsPerBlock} vectors; each block's sum starts from zero and is added once.");
        w.Line("/// </summary>");
        ctx.MethodAttributes();
        w.Line($"public static void ParameterGradients{path.Suffix}(ref float gradients, ref float input, int steps, ref float tape)");
        using (w.Braces())
        {
            w.Line("ref float firstRow = ref U.Add(ref tape, TapeHeaderLength + TapeStride);");
            ForEachPanel(ctx, path, (width, panelStart, columnStart) =>
            {
                Func<string, string> inputScale = r => $"U.Add(ref input, (nuint)t * InputSize + {r})";
                Func<string, string> hiddenScale = r => $"U.Add(ref previousHidden, {r})";
                foreach ((string count, int rows, string rowBase, Func<string, string> scale, int dzOffset, string comment) in new[]
                {
                    ("InputSize", ctx.Layout.InputSize, "0", inputScale, t.InputSideGradient, "W_ih rows: row k is scaled by x_t[k]."),
                    ("HiddenSize", ctx.Layout.HiddenSize, "InputSize", hiddenScale, t.HiddenSideGradient,
                        "W_hh rows: row j is scaled by h_{t-1}[j], from the previous tape row (row -1 holds h_0)."),
                })
                {
                    w.Line($"// {comment}");
                    using (w.Braces())
                    {
                        w.Line("nuint r = 0;");
                        foreach (int block in rowsPerBlock > 1 && rows >= rowsPerBlock ? new[] { rowsPerBlock, 1 } : new[] { 1 })
                        {
                            w.Line(block > 1 ? $"for (; r + {block} <= {count}; r += {block})" : $"for (; r < {count}; r++)");
                            using (w.Braces())
                            {
                                w.Line($"ref float gradient = ref U.Add(ref gradients, {panelStart} + ({rowBase} + r) * {width});");
                                EmitGradientBlocks(w, v, width, block, vectorsPerBlock, columnStart, dzOffset, scale,
                                    rowBase == "0" ? null : t.Stride - t.Hidden);
                            }
                        }
                    }
                }
            });

            w.Line("// Biases: ∂L/∂b_ih += Σ_t dz_t of the W_ih side, ∂L/∂b_hh += Σ_t dz_t of the W_hh side (the same for the LSTM).");
            foreach ((string name, int dzOffset) in new[] { ("BiasIhOffset", t.InputSideGradient), ("BiasHhOffset", t.HiddenSideGradient) })
            {
                using (w.Braces())
                {
                    w.Line($"ref float gradient = ref U.Add(ref gradients, {name});");
                    EmitGradientBlocks(w, v, ctx.Layout.ColumnCount, 0, vectorsPerBlock, "0", dzOffset, null);
                }
            }
        }
    }

    /// <summary>
    /// One block of <paramref name="rows"/> gradient rows over <paramref name="width"/> columns: blocks of
    /// <paramref name="vectorsPerBlock"/> vectors, the rest, then the masked overlapping last vector. With
    /// <paramref name="rows"/> = 0 it sums dz itself (the bias gradient).
    /// </summary>
    private static void EmitGradientBlocks(SourceWriter w, VectorSyntax v, int width, int rows, int vectorsPerBlock, string columnStart, int dzOffset, Func<string, string>? scale, int? previousHidden = null)
    {
        int lanes = v.Lanes;
        int fullVectors = width / lanes;
        int fullBlocks = fullVectors / vectorsPerBlock;
        var blocks = new List<(string Column, int Vectors, int TailLanes)>();
        if (fullBlocks > 0)
        {
            blocks.Add(("c", vectorsPerBlock, 0));
        }

        int rest = fullVectors - fullBlocks * vectorsPerBlock;
        if (rest > 0)
        {
            blocks.Add((VectorSyntax.Int(fullBlocks * vectorsPerBlock * lanes), rest, 0));
        }

        if (width % lanes != 0)
        {
            blocks.Add((VectorSyntax.Int(width - lanes), 1, width % lanes));
        }

        int sets = Math.Max(rows, 1);
        foreach ((string column, int vectors, int tailLanes) in blocks)
        {
            string Off(int vIndex) => column == "c" ? (vIndex == 0 ? "c" : $"c + {vIndex * lanes}") : VectorSyntax.Int(int.Parse(column, System.Globalization.CultureInfo.InvariantCulture) + vIndex * lanes);
            if (column == "c")
            {
                w.Line($"for (nuint c = 0; c < {fullBlocks * vectorsPerBlock * lanes}; c += {vectorsPerBlock * lanes})");
            }
            else if (tailLanes > 0)
            {
                w.Line($"// The last vector ends at column {width} and overlaps the previous one: only its last {tailLanes} lanes are added.");
            }

            using (w.Braces())
            {
                for (int r = 0; r < sets; r++)
                {
                    for (int x = 0; x < vectors; x++)
                    {
                        w.Line($"var sum{r}{x} = {v.Zero};");
                    }
                }

                w.Line("ref float tapeRow = ref firstRow;");
                w.Line("for (int t = 0; t < steps; t++)");
                using (w.Braces())
                {
                    w.Line(dzOffset == 0 ? $"ref float dz = ref U.Add(ref tapeRow, {columnStart});" : $"ref float dz = ref U.Add(ref tapeRow, {columnStart} + {dzOffset});");
                    if (scale is not null && previousHidden is not null)
                    {
                        w.Line($"ref float previousHidden = ref U.Subtract(ref tapeRow, {previousHidden});");
                    }

                    for (int x = 0; x < vectors; x++)
                    {
                        w.Line($"var d{x} = {v.Load("dz", Off(x))};");
                    }

                    if (scale is null)
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
                            w.Line($"var u{r} = {v.Broadcast(scale(r == 0 ? "r" : $"r + {r}"))};");
                            for (int x = 0; x < vectors; x++)
                            {
                                w.Line($"sum{r}{x} = {v.Fma($"d{x}", $"u{r}", $"sum{r}{x}")};");
                            }
                        }
                    }

                    w.Line("tapeRow = ref U.Add(ref tapeRow, TapeStride);");
                }

                for (int r = 0; r < sets; r++)
                {
                    for (int x = 0; x < vectors; x++)
                    {
                        // A constant column folds into one constant: the overlapping last vector of a panel narrower than
                        // a vector starts before the row (a negative offset, which At/Load/Store turn into a Subtract).
                        string offset = r == 0 ? Off(x)
                            : column == "c" ? $"{r * width} + {Off(x)}"
                            : VectorSyntax.Int(r * width + int.Parse(Off(x), System.Globalization.CultureInfo.InvariantCulture));
                        string sum = tailLanes > 0 ? $"(sum{r}{x} & {v.LanesFrom(lanes - tailLanes)})" : $"sum{r}{x}";
                        w.Line(v.Store($"{v.Load("gradient", offset)} + {sum}", "gradient", offset));
                    }
                }
            }
        }
    }
}
