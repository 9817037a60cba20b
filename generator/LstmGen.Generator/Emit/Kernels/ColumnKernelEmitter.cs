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
    private static IEnumerable<(bool Loop, int Panel, int Count)> PanelRuns(KernelContext ctx)
    {
        int loop = ctx.LoopPanels();
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
    public static void ForEachPanel(KernelContext ctx, Action<int, string, string> body)
    {
        SourceWriter w = ctx.W;
        foreach ((bool loop, int panel, int count) in PanelRuns(ctx))
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
    /// of <c>Lanes</c> rows at a time with dz, summed by one shuffle tree; for a batch of sequences, each block of rows
    /// serves every sequence before the next block is loaded (in L1 while a block, Lanes rows of G·H floats, fits it).
    /// The one-sequence form forwards to it, or reads W_hh's rows in memory order where the plan says so
    /// (<see cref="LayerPlan.ReadsHiddenRowsInOrder"/>).
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
            ? "/// ∂L/∂h_{t-1} += W_hhᵀ·dz for <paramref name=\"sequences\"/> sequences (dz <paramref name=\"dzStride\"/> floats apart, ∂L/∂h HiddenSize apart): dot products of W_hh's rows (all panels) with dz, added to the direct term already there."
            : "/// ∂L/∂h_{t-1} = W_hhᵀ·dz for <paramref name=\"sequences\"/> sequences (dz <paramref name=\"dzStride\"/> floats apart, ∂L/∂h HiddenSize apart): dot products of W_hh's rows (all panels) with dz.");
        w.Line($"/// {rows} rows at a time share every dz load; one shuffle tree turns their {rows} partial sums into {rows} results. Each block of rows");
        w.Line("/// serves every sequence before the next block is loaded. With <paramref name=\"reverse\"/> the row blocks run last to first (alternate steps reuse what is in L1).");
        w.Line("/// </summary>");
        ctx.MethodAttributes();
        w.Line($"public static void HiddenGradientBatch{path.Suffix}(ref float weights, ref float dz, nuint dzStride, ref float hiddenGradient, int sequences, bool reverse)");
        using (w.Braces())
        {
            if (blocks > 0)
            {
                w.Line($"for (nuint b = 0; b < {blocks}; b++)");
                using (w.Braces())
                {
                    w.Line($"nuint j = (reverse ? {blocks - 1} - b : b) * {rows};");
                    w.Line("for (int s = 0; s < sequences; s++)");
                    using (w.Braces())
                    {
                        w.Line("ref float dzS = ref U.Add(ref dz, (nuint)s * dzStride);");
                        w.Line("ref float gradientS = ref U.Add(ref hiddenGradient, (nuint)s * HiddenSize);");
                        EmitDotBlock(ctx, path, v, rows, $"{ctx.Layout.InputSize} + j", accumulate, "gradientS", "j", "dzS");
                    }
                }
            }

            if (h % rows != 0)
            {
                w.Line($"for (nuint j = {blocks * rows}; j < HiddenSize; j++)");
                using (w.Braces())
                {
                    w.Line("for (int s = 0; s < sequences; s++)");
                    using (w.Braces())
                    {
                        w.Line("ref float dzS = ref U.Add(ref dz, (nuint)s * dzStride);");
                        w.Line("ref float gradientS = ref U.Add(ref hiddenGradient, (nuint)s * HiddenSize);");
                        EmitDotBlock(ctx, path, v, 1, $"{ctx.Layout.InputSize} + j", accumulate, "gradientS", "j", "dzS");
                    }
                }
            }
        }

        w.Line();
        if (ctx.Plan.ReadsHiddenRowsInOrder(path))
        {
            EmitHiddenGradientByRows(ctx, path, accumulate);
            return;
        }

        w.Line("/// <summary>One sequence of <see cref=\"HiddenGradientBatch" + path.Suffix + "\"/>.</summary>");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        w.Line($"public static void HiddenGradient{path.Suffix}(ref float weights, ref float dz, ref float hiddenGradient, bool reverse)");
        w.Line($"    => HiddenGradientBatch{path.Suffix}(ref weights, ref dz, 0, ref hiddenGradient, 1, reverse);");
    }

    /// <summary>
    /// One sequence's ∂L/∂h_{t-1} = W_hhᵀ·dz with a panel's dz held in registers: each of 8 rows is read front to back
    /// (two FMA chains), so the rows stream in memory order instead of 16 rows side by side; one shuffle tree per block.
    /// </summary>
    private static void EmitHiddenGradientByRows(KernelContext ctx, PathPlan path, bool accumulate)
    {
        SourceWriter w = ctx.W;
        var v = new VectorSyntax(path.Lanes);
        int rows = LayerPlan.HiddenRowsInOrderBlock;
        int h = ctx.Layout.HiddenSize;
        int blocks = h / rows;
        w.Line("/// <summary>");
        w.Line("/// One sequence of <see cref=\"HiddenGradientBatch" + path.Suffix + "\"/>, reading W_hh's rows in memory order: a panel's dz stays in");
        w.Line($"/// registers while each of {rows} rows is read front to back (two FMA chains per row); one shuffle tree per {rows} rows.");
        w.Line("/// </summary>");
        ctx.MethodAttributes();
        w.Line($"public static void HiddenGradient{path.Suffix}(ref float weights, ref float dz, ref float hiddenGradient, bool reverse)");
        using (w.Braces())
        {
            w.Line($"for (nuint b = 0; b < {blocks}; b++)");
            using (w.Braces())
            {
                w.Line($"nuint j = (reverse ? {blocks - 1} - b : b) * {rows};");
                for (int r = 0; r < rows; r++)
                {
                    w.Line($"var sum{r} = {v.Zero};");
                }

                ForEachPanel(ctx, (width, panelStart, columnStart) =>
                {
                    int full = width / path.Lanes;
                    bool tail = full * path.Lanes < width;
                    w.Line($"ref float panelRows = ref U.Add(ref weights, {panelStart} + ({ctx.Layout.InputSize} + j) * {width});");
                    w.Line($"ref float panelDz = ref U.Add(ref dz, {columnStart});");
                    var offsets = new List<int>();
                    for (int c = 0; c < full; c++)
                    {
                        w.Line($"var d{c} = {v.Load("panelDz", c * path.Lanes)};");
                        offsets.Add(c * path.Lanes);
                    }

                    if (tail)
                    {
                        int last = width - path.Lanes;
                        w.Line($"// The last vector ends at column {width} and overlaps the previous one: only its last {width - full * path.Lanes} lanes count.");
                        w.Line($"var d{full} = {v.Load("panelDz", last)} & {v.LanesFrom(path.Lanes - (width - full * path.Lanes))};");
                        offsets.Add(last);
                    }

                    for (int r = 0; r < rows; r++)
                    {
                        string Row(int c) => v.Load("panelRows", r * width + offsets[c]);
                        w.Line($"sum{r} = {v.Fma(Row(0), "d0", $"sum{r}")};");
                        if (offsets.Count > 1)
                        {
                            w.Line($"var odd{r} = {Row(1)} * d1;");
                            for (int c = 2; c < offsets.Count; c++)
                            {
                                string chain = c % 2 == 0 ? $"sum{r}" : $"odd{r}";
                                w.Line($"{chain} = {v.Fma(Row(c), $"d{c}", chain)};");
                            }

                            w.Line($"sum{r} += odd{r};");
                        }
                    }
                });

                string result = $"SumEach({string.Join(", ", Enumerable.Range(0, rows).Select(r => $"sum{r}"))})";
                w.Line(accumulate
                    ? $"V256.StoreUnsafe(V256.LoadUnsafe(ref hiddenGradient, j) + {result}, ref hiddenGradient, j);"
                    : $"V256.StoreUnsafe({result}, ref hiddenGradient, j);");
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
        bool pairs = ctx.Plan.InputGradientsByPanel && path.Lanes == 16 && path.HasManyRegisters;
        w.Line("/// <summary>");
        w.Line("/// ∂L/∂x_t = W_ihᵀ·dz_t for every step (dz_t <paramref name=\"dzStride\"/> floats after dz_{t-1}), after the time loop, in chunks of");
        w.Line(pairs
            ? "/// GradientChunkRows steps, panel by panel: blocks of 8 rows of W_ih × 2 steps, each loaded weight vector serving both steps."
            : $"/// GradientChunkRows steps: a chunk's dz stays in the L1 cache while each block of {rows} rows of W_ih passes over it.");
        w.Line("/// </summary>");
        ctx.MethodAttributes();
        w.Line($"public static void InputGradients{path.Suffix}(ref float weights, ref float firstDz, nuint dzStride, int steps, ref float inputGradient)");
        using (w.Braces())
        {
            bool byPanel = ctx.Plan.InputGradientsByPanel;
            if (byPanel)
            {
                w.Line("MM.CreateSpan(ref inputGradient, steps * InputSize).Clear();");
            }

            w.Line("for (int start = 0; start < steps; start += GradientChunkRows)");
            using (w.Braces())
            {
                w.Line("int end = global::System.Math.Min(steps, start + GradientChunkRows);");
                if (pairs)
                {
                    w.Line("// Panel by panel, so a block of rows is the panel's part of them (it stays in L1 while the chunk's dz pass); each adds its share.");
                    ForEachPanel(ctx, (width, panelStart, columnStart) => EmitInputGradientPairs(ctx, path, v, width, panelStart, columnStart));
                }
                else if (byPanel)
                {
                    w.Line("// Panel by panel, so a block of rows is the panel's part of them (it stays in L1 while the chunk's dz pass); each adds its share.");
                    ForEachPanel(ctx, (width, panelStart, columnStart) => EmitInputGradientBlocks(ctx, path, blocks, (count, index) =>
                    {
                        EmitZeroSums(ctx, v, count);
                        EmitDotPanel(ctx, path, v, count, "k", "dz", width, panelStart, columnStart);
                        EmitStoreSums(ctx, v, count, accumulate: true, "inputGradient", index);
                    }));
                }
                else
                {
                    EmitInputGradientBlocks(ctx, path, blocks, (count, index) =>
                        EmitDotBlock(ctx, path, v, count, "k", accumulate: false, "inputGradient", index, "dz"));
                }
            }
        }
    }

    /// <summary>
    /// One panel's share of ∂L/∂x with 32 registers: blocks of 8 rows × 2 steps, so each loaded weight vector serves two
    /// steps (10 loads per 16 FMAs instead of 17), one 8-row shuffle tree per step; an odd last step and the rows left
    /// (InputSize % 8) one at a time.
    /// </summary>
    private static void EmitInputGradientPairs(KernelContext ctx, PathPlan path, VectorSyntax v, int width, string panelStart, string columnStart)
    {
        SourceWriter w = ctx.W;
        int rows = 8;
        int blocks = ctx.Layout.InputSize / rows;
        int full = width / path.Lanes * path.Lanes;
        int tail = width - path.Lanes;
        if (blocks > 0)
        {
            w.Line($"for (nuint k = 0; k < {blocks * rows}; k += {rows})");
            using (w.Braces())
            {
                w.Line($"ref float panelRows = ref U.Add(ref weights, {panelStart} + k * {width});");
                w.Line($"ref float dzA = ref U.Add(ref firstDz, (nuint)start * dzStride + {columnStart});");
                w.Line("int t = start;");
                foreach (int steps in new[] { 2, 1 })
                {
                    w.Line(steps == 2 ? "for (; t + 1 < end; t += 2)" : "if (t < end)");
                    using (w.Braces())
                    {
                        string[] chains = steps == 2 ? new[] { "a", "b" } : new[] { "a" };
                        if (steps == 2)
                        {
                            w.Line("ref float dzB = ref U.Add(ref dzA, dzStride);");
                        }

                        foreach (string chain in chains)
                        {
                            for (int r = 0; r < rows; r++)
                            {
                                w.Line($"var {chain}{r} = {v.Zero};");
                            }
                        }

                        // offset: the vector's column as C# source; tailAt: the overlapping last vector's column (may be negative).
                        void Columns(string offset, int? tailAt, string? mask)
                        {
                            foreach (string chain in chains)
                            {
                                string load = tailAt is int at ? v.Load($"dz{chain.ToUpperInvariant()}", at) : v.Load($"dz{chain.ToUpperInvariant()}", offset);
                                w.Line(mask is null ? $"var d{chain} = {load};" : $"var d{chain} = {load} & {mask};");
                            }

                            for (int r = 0; r < rows; r++)
                            {
                                string row = tailAt is int at ? v.Load("panelRows", r * width + at) : v.Load("panelRows", r == 0 ? offset : $"{r * width} + {offset}");
                                w.Line($"var w{r} = {row};");
                                foreach (string chain in chains)
                                {
                                    w.Line($"{chain}{r} = {v.Fma($"w{r}", $"d{chain}", $"{chain}{r}")};");
                                }
                            }
                        }

                        if (full > 0)
                        {
                            w.Line($"for (nuint c = 0; c < {full}; c += {path.Lanes})");
                            using (w.Braces())
                            {
                                Columns("c", null, null);
                            }
                        }

                        if (full < width)
                        {
                            w.Line($"// The last vector ends at column {width} and overlaps the previous one: only its last {width - full} lanes count.");
                            using (w.Braces())
                            {
                                Columns(string.Empty, tail, v.LanesFrom(path.Lanes - (width - full)));
                            }
                        }

                        for (int i = 0; i < chains.Length; i++)
                        {
                            string chain = chains[i];
                            string index = i == 0 ? "(nuint)t * InputSize + k" : "(nuint)(t + 1) * InputSize + k";
                            string result = $"SumEach({string.Join(", ", Enumerable.Range(0, rows).Select(r => $"{chain}{r}"))})";
                            w.Line($"V256.StoreUnsafe(V256.LoadUnsafe(ref inputGradient, {index}) + {result}, ref inputGradient, {index});");
                        }

                        if (steps == 2)
                        {
                            w.Line("dzA = ref U.Add(ref dzB, dzStride);");
                        }
                    }
                }
            }
        }

        if (ctx.Layout.InputSize % rows != 0)
        {
            EmitInputRowLoop(ctx, $"for (nuint k = {blocks * rows}; k < InputSize; k++)", index =>
            {
                EmitZeroSums(ctx, v, 1);
                EmitDotPanel(ctx, path, v, 1, "k", "dz", width, panelStart, columnStart);
                EmitStoreSums(ctx, v, 1, accumulate: true, "inputGradient", index);
            });
        }
    }

    /// <summary>The loops of <c>InputGradients</c> over blocks of W_ih's rows (then the rows left), each over a chunk's steps.</summary>
    private static void EmitInputGradientBlocks(KernelContext ctx, PathPlan path, int blocks, Action<int, string> dot)
    {
        int rows = path.Lanes;
        if (blocks > 0)
        {
            EmitInputRowLoop(ctx, $"for (nuint k = 0; k < {blocks * rows}; k += {rows})", index => dot(rows, index));
        }

        if (ctx.Layout.InputSize % rows != 0)
        {
            EmitInputRowLoop(ctx, $"for (nuint k = {blocks * rows}; k < InputSize; k++)", index => dot(1, index));
        }
    }

    /// <summary>A loop over W_ih's rows (<paramref name="loop"/>, variable <c>k</c>), each over a chunk's steps with dz advancing; <paramref name="dot"/> gets the ∂L/∂x index of (t, k).</summary>
    private static void EmitInputRowLoop(KernelContext ctx, string loop, Action<string> dot)
    {
        SourceWriter w = ctx.W;
        w.Line(loop);
        using (w.Braces())
        {
            w.Line("ref float dz = ref U.Add(ref firstDz, (nuint)start * dzStride);");
            w.Line("for (int t = start; t < end; t++)");
            using (w.Braces())
            {
                dot("(nuint)t * InputSize + k");
                w.Line("dz = ref U.Add(ref dz, dzStride);");
            }
        }
    }

    /// <summary>
    /// Dot products of <paramref name="rows"/> consecutive weight rows (row index <paramref name="firstRow"/> within
    /// each panel's rows) with a packed gradient vector, stored (or added) at <paramref name="target"/>[<paramref name="index"/>].
    /// </summary>
    private static void EmitDotBlock(KernelContext ctx, PathPlan path, VectorSyntax v, int rows, string firstRow, bool accumulate, string target, string index, string dz)
    {
        EmitZeroSums(ctx, v, rows);
        ForEachPanel(ctx, (width, panelStart, columnStart) => EmitDotPanel(ctx, path, v, rows, firstRow, dz, width, panelStart, columnStart));
        EmitStoreSums(ctx, v, rows, accumulate, target, index);
    }

    private static void EmitZeroSums(KernelContext ctx, VectorSyntax v, int rows)
    {
        for (int r = 0; r < rows; r++)
        {
            ctx.W.Line($"var sum{r} = {v.Zero};");
        }
    }

    /// <summary>One panel's share of <see cref="EmitDotBlock"/>: sum{r} += the panel's part of row r · dz.</summary>
    private static void EmitDotPanel(KernelContext ctx, PathPlan path, VectorSyntax v, int rows, string firstRow, string dz, int width, string panelStart, string columnStart)
    {
        SourceWriter w = ctx.W;
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
    }

    /// <summary>Reduces sum0…sum{rows-1} and stores (or adds) the results at <paramref name="target"/>[<paramref name="index"/>].</summary>
    private static void EmitStoreSums(KernelContext ctx, VectorSyntax v, int rows, bool accumulate, string target, string index)
    {
        SourceWriter w = ctx.W;
        string result = rows == 1 ? $"{v.Class}.Sum(sum0)" : $"SumEach({string.Join(", ", Enumerable.Range(0, rows).Select(r => $"sum{r}"))})";
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
    /// ∂L/∂b += Σ_t dz_t, each in the parameters' own layout, through the runtime's row-block helpers (<c>GradientKernels</c>).
    /// </summary>
    public static void EmitParameterGradients(KernelContext ctx, PathPlan path)
    {
        SourceWriter w = ctx.W;
        // The row-block helpers are the runtime's (LstmGen.Kernels.GradientKernels), chosen by the vector width.
        (string helper, int rowsPerBlock) = path.GradientKernels;
        LstmGen.Generator.Cells.TapeRowLayout t = ctx.Tape;
        string s = path.Suffix;
        w.Line("/// <summary>");
        w.Line("/// Parameter gradients after the time loop: ∂L/∂W_ih[k] += Σ_t x_t[k]·dz_t, ∂L/∂W_hh[j] += Σ_t h_{t-1}[j]·dz_t,");
        w.Line("/// ∂L/∂b_ih += Σ_t dz_t (W_ih side), ∂L/∂b_hh += Σ_t dz_t (W_hh side), in the parameters' panel layout (row blocks: LstmGen.Kernels.GradientKernels).");
        w.Line("/// </summary>");
        ctx.MethodAttributes();
        w.Line($"public static void ParameterGradients{s}(ref float gradients, ref float input, int rows, int sequences, ref float tape)");
        using (w.Braces())
        {
            w.Line("// Rows are interleaved by time: row n = (t, b) of sequence b at step t is at TapeHeaderLength + (sequences + n)·TapeStride,");
            w.Line("// its input x_n at input + n·InputSize (time-major), and row n - sequences (row -1 for t = 0) holds its h_{t-1}: every");
            w.Line("// gradient row sums over all rows of all sequences, GradientChunkRows rows at a time so that their dz stays in L1.");
            w.Line("for (int start = 0; start < rows; start += GradientChunkRows)");
            System.IDisposable chunk = w.Braces();
            w.Line("int count = global::System.Math.Min(GradientChunkRows, rows - start);");
            w.Line("ref float firstRow = ref U.Add(ref tape, TapeHeaderLength + (nuint)(sequences + start) * TapeStride);");
            w.Line($"ref float previousHidden = ref U.Add(ref tape, TapeHeaderLength + (nuint)start * TapeStride + {t.Hidden});");
            w.Line("ref float chunkInput = ref U.Add(ref input, (nuint)start * InputSize);");
            ForEachPanel(ctx, (width, panelStart, columnStart) =>
            {
                foreach ((string count, string rowBase, string scale, string stride, int dzOffset, string comment) in new[]
                {
                    ("InputSize", "r", "ref U.Add(ref chunkInput, r)", "InputSize", t.InputSideGradient, "W_ih rows: row k is scaled by x[k]."),
                    ("HiddenSize", "InputSize + r", "ref U.Add(ref previousHidden, r)", "TapeStride", t.HiddenSideGradient, "W_hh rows: row j is scaled by h_{t-1}[j]."),
                })
                {
                    w.Line($"// {comment}");
                    string dz = dzOffset == 0 ? $"ref U.Add(ref firstRow, {columnStart})" : $"ref U.Add(ref firstRow, {columnStart} + {dzOffset})";
                    w.Line("for (nuint r = 0; r < " + count + ";)");
                    using (w.Braces())
                    {
                        w.Line($"ref float gradient = ref U.Add(ref gradients, {panelStart} + ({rowBase}) * {width});");
                        w.Line($"if (r + {rowsPerBlock} <= {count})");
                        using (w.Braces())
                        {
                            w.Line($"GradientRows{rowsPerBlock}x{helper}(ref gradient, {width}, {dz}, TapeStride, {scale}, {stride}, count);");
                            w.Line($"r += {rowsPerBlock};");
                        }

                        w.Line("else");
                        using (w.Braces())
                        {
                            w.Line($"GradientRows1x{helper}(ref gradient, {width}, {dz}, TapeStride, {scale}, {stride}, count);");
                            w.Line("r++;");
                        }
                    }
                }
            });

            w.Line("// Biases: ∂L/∂b_ih += Σ dz of the W_ih side, ∂L/∂b_hh += Σ dz of the W_hh side (the same for the LSTM), over every row.");
            w.Line($"GradientRows0x{helper}(ref U.Add(ref gradients, BiasIhOffset), Columns, ref U.Add(ref firstRow, {t.InputSideGradient}), TapeStride, ref firstRow, 0, count);");
            w.Line($"GradientRows0x{helper}(ref U.Add(ref gradients, BiasHhOffset), Columns, ref U.Add(ref firstRow, {t.HiddenSideGradient}), TapeStride, ref firstRow, 0, count);");
            chunk.Dispose();
        }
    }
}
