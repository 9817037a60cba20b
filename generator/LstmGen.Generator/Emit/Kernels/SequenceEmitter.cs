using System.Linq;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Emit.Cells;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emit.Kernels;

/// <summary>
/// The per-path drivers: the cell's backward kernel, and the loops over time for the forward pass, its recording
/// and backpropagation through time.
/// </summary>
internal static class SequenceEmitter
{
    private static string CellArgument(KernelContext ctx) => ctx.HasCell ? ", ref cell" : string.Empty;

    /// <summary>The backward pass through the cell for one step, over every vector column.</summary>
    public static void EmitCellBackward(KernelContext ctx, PathPlan path)
    {
        SourceWriter w = ctx.W;
        var v = new VectorSyntax(path.Lanes);
        w.Line("/// <summary>");
        w.Line("/// The cell's backward pass for one step. In: ∂L/∂y_t, ∂L/∂h_t from step t+1" + (ctx.HasCell ? ", ∂L/∂c_t" : string.Empty) + ", the tape rows t and t−1.");
        w.Line(ctx.HasCell
            ? "/// Out: dz over the gate area (it is both sides' pre-activation gradient) and ∂L/∂c_{t-1} over ∂L/∂c_t."
            : "/// Out: dz of both sides over the two gate areas, and the direct term dh ⊙ z of ∂L/∂h_{t-1} over ∂L/∂h_t.");
        w.Line("/// </summary>");
        ctx.MethodAttributes("a kernel called once per step");
        w.Line($"public static void CellBackward{path.Suffix}(ref float row, ref float previousRow, ref float outputGradient, ref float hiddenGradient{(ctx.HasCell ? ", ref float cellGradient" : string.Empty)})");
        using (w.Braces())
        {
            TapeRowLayout t = ctx.Tape;
            w.Line(t.InputSideGradient == 0 ? "ref float gates = ref row;" : $"ref float gates = ref U.Add(ref row, {t.InputSideGradient});");
            if (ctx.HasCell)
            {
                w.Line($"ref float tanhCell = ref U.Add(ref row, {t.TanhCell});");
                w.Line($"ref float previousCell = ref U.Add(ref previousRow, {t.Cell});");
            }
            else
            {
                w.Line($"ref float hiddenSide = ref U.Add(ref row, {t.HiddenSideGradient});");
                w.Line($"ref float previousHidden = ref U.Add(ref previousRow, {t.Hidden});");
            }

            if (path.IsScalar)
            {
                w.Line("for (nuint unit = 0; unit < HiddenSize; unit++)");
                using (w.Braces())
                {
                    w.Line("nuint column = ColumnOf(unit);");
                    w.Line("nuint stride = GateStrideOf(unit);");
                    CellMath.Backward(w, ctx.Cell, v, "unit", ScalarColumn, loadsOnly: false, string.Empty, 0);
                }

                return;
            }

            StepKernelEmitter.ForEachPass(ctx, path, null, (position, pass, _) =>
                StepKernelEmitter.ForEachColumn(w, pass, position, 0, null, (at, forwardColumn, _, _) =>
                {
                    // A paired column's units, seen as a shifted vector: the backward math works on one slot per vector.
                    VectorColumn column = forwardColumn.AsShifted(path.Lanes);
                    w.Line($"// Units {at.Unit(column.FirstUnit)}..{at.Unit(column.FirstUnit + path.Lanes - 1)}{(column.IsShifted ? $" (shifted: lanes 0..{column.OverlapLanes - 1} are not stored)" : string.Empty)}.");
                    using (w.Braces())
                    {
                        CellMath.Backward(w, ctx.Cell, v, at.Unit(column.FirstUnit), gate => at.Column(column.Offset(gate)), loadsOnly: false, string.Empty, column.OverlapLanes);
                    }
                }), declareWeights: false);
        }
    }

    /// <summary>A gate's packed column in scalar code, where <c>column</c> and <c>stride</c> are the unit's.</summary>
    public static string ScalarColumn(int gate) => gate switch
    {
        0 => "column",
        1 => "column + stride",
        _ => $"column + {gate} * stride",
    };

    /// <summary><c>Forward</c> over a sequence: h_t goes into row t of the output, and h_{t-1} is the previous row.</summary>
    public static void EmitForward(KernelContext ctx, PathPlan path)
    {
        SourceWriter w = ctx.W;
        bool projects = ctx.Plan.UsesInputProjection && !path.IsScalar;
        string s = path.Suffix;
        w.Line(projects
            ? $"/// <summary>Runs the sequence in blocks of up to {ctx.Plan.ProjectionBlockSteps} steps: the block's input projection, then the recurrent kernel per step (alternate steps read W_hh backwards).</summary>"
            : $"/// <summary>Runs <see cref=\"Step{s}\"/> over <paramref name=\"steps\"/> steps; h_t goes into row t of <paramref name=\"output\"/>.</summary>");
        ctx.MethodAttributes();
        w.Line($"public static void Forward{s}(ref float weights, ref float input, int steps, ref float output, ref float hidden{(ctx.HasCell ? ", ref float cell" : string.Empty)})");
        using (w.Braces())
        {
            w.Line("// h_{t-1} is the previous output row (the initial state for t = 0): h is never copied between steps.");
            w.Line("ref float hiddenIn = ref hidden;");
            if (projects)
            {
                EmitProjectedBlocks(ctx, path, "ref float hiddenOut = ref U.Add(ref output, (nuint)(first + s) * HiddenSize);",
                    StepKernelEmitter.NoTape, StepKernelEmitter.StateArguments(ctx, "hiddenIn", "hiddenOut", "cell"), "hiddenIn = ref hiddenOut;");
            }
            else
            {
                w.Line("for (int t = 0; t < steps; t++)");
                using (w.Braces())
                {
                    w.Line("ref float hiddenOut = ref U.Add(ref output, (nuint)t * HiddenSize);");
                    w.Line($"Step{s}<{StepKernelEmitter.NoTape}>(ref weights, ref U.Add(ref input, (nuint)t * InputSize), {StepKernelEmitter.StateArguments(ctx, "hiddenIn", "hiddenOut", "cell")});");
                    w.Line("hiddenIn = ref hiddenOut;");
                }
            }

            w.Line("MM.CreateReadOnlySpan(ref hiddenIn, HiddenSize).CopyTo(MM.CreateSpan(ref hidden, HiddenSize));");
        }
    }

    /// <summary>The forward pass recorded into tape rows 0..steps-1 (row -1, the initial state, is already there).</summary>
    public static void EmitRecordSequence(KernelContext ctx, PathPlan path)
    {
        SourceWriter w = ctx.W;
        bool projects = ctx.Plan.UsesInputProjection && !path.IsScalar;
        string s = path.Suffix;
        w.Line("/// <summary>Records <paramref name=\"steps\"/> steps into the tape (bit for bit the same as <c>Forward</c>); row -1 already holds the initial state.</summary>");
        ctx.MethodAttributes();
        w.Line($"public static void RecordSequence{s}(ref float weights, ref float input, int steps, ref float tape)");
        using (w.Braces())
        {
            w.Line("ref float previous = ref U.Add(ref tape, TapeHeaderLength);");
            if (projects)
            {
                EmitProjectedBlocks(ctx, path, "ref float row = ref U.Add(ref previous, TapeStride);", StepKernelEmitter.WithTape, StepKernelEmitter.TapeArguments(ctx, "previous", "row"), "previous = ref row;");
            }
            else
            {
                w.Line("for (int t = 0; t < steps; t++)");
                using (w.Braces())
                {
                    w.Line("ref float row = ref U.Add(ref previous, TapeStride);");
                    w.Line($"Step{s}<{StepKernelEmitter.WithTape}>(ref weights, ref U.Add(ref input, (nuint)t * InputSize), {StepKernelEmitter.TapeArguments(ctx, "previous", "row")});");
                    w.Line("previous = ref row;");
                }
            }
        }
    }

    private static void EmitProjectedBlocks(KernelContext ctx, PathPlan path, string rowLine, string tape, string stateArguments, string advance)
    {
        SourceWriter w = ctx.W;
        int block = ctx.Plan.ProjectionBlockSteps;
        int rowFloats = LayerPlanner.ProjectionRowFloats(path, ctx.Cell);
        w.Line($"global::System.Span<float> projections = stackalloc float[{block * rowFloats}];");
        w.Line("ref float projected = ref MM.GetReference(projections);");
        w.Line($"for (int first = 0; first < steps; first += {block})");
        using (w.Braces())
        {
            w.Line($"int count = global::System.Math.Min({block}, steps - first);");
            w.Line($"Project{path.Suffix}(ref weights, ref U.Add(ref input, (nuint)first * InputSize), count, ref projected);");
            w.Line("for (int s = 0; s < count; s++)");
            using (w.Braces())
            {
                w.Line(rowLine);
                w.Line($"ref float step = ref U.Add(ref projected, (nuint)s * {rowFloats});");
                if (ctx.Plan.AlternatesRecurrentRows)
                {
                    w.Line("// Odd steps read W_hh last row first: each step starts with the rows the previous one left in the cache.");
                    w.Line("if (((first + s) & 1) == 0)");
                    using (w.Braces())
                    {
                        w.Line($"StepRecurrent{path.Suffix}<{tape}, {StepKernelEmitter.RowsInOrder}>(ref weights, ref step, {stateArguments});");
                    }

                    w.Line("else");
                    using (w.Braces())
                    {
                        w.Line($"StepRecurrent{path.Suffix}<{tape}, {StepKernelEmitter.RowsReversed}>(ref weights, ref step, {stateArguments});");
                    }
                }
                else
                {
                    w.Line($"StepRecurrent{path.Suffix}<{tape}, {StepKernelEmitter.RowsInOrder}>(ref weights, ref step, {stateArguments});");
                }

                w.Line(advance);
            }
        }
    }

    /// <summary>Backpropagation through time over a recorded tape, last step first.</summary>
    public static void EmitBackwardSequence(KernelContext ctx, PathPlan path)
    {
        SourceWriter w = ctx.W;
        string s = path.Suffix;
        TapeRowLayout t = ctx.Tape;
        w.Line("/// <summary>");
        w.Line("/// Backpropagation through time over a recorded tape, last step first. Per step: the cell's backward pass turns");
        w.Line("/// ∂L/∂h_t" + (ctx.HasCell ? " and ∂L/∂c_t" : string.Empty) + " into dz (stored over the gates in the tape row); W_hhᵀ·dz gives ∂L/∂h_{t-1}.");
        w.Line("/// After the loop: ∂L/∂x for every step and the parameter gradients, from all steps' dz at once.");
        w.Line("/// </summary>");
        ctx.MethodAttributes();
        w.Line($"public static void BackwardSequence{s}(ref float weights, ref float gradients, ref float input, int steps, ref float tape, ref float outputGradient, ref float inputGradient, ref float hiddenGradient{(ctx.HasCell ? ", ref float cellGradient" : string.Empty)})");
        using (w.Braces())
        {
            w.Line("for (int t = steps - 1; t >= 0; t--)");
            using (w.Braces())
            {
                w.Line("ref float row = ref U.Add(ref tape, (nuint)(TapeHeaderLength + (t + 1) * TapeStride));");
                w.Line($"CellBackward{s}(ref row, ref U.Subtract(ref row, TapeStride), ref U.Add(ref outputGradient, (nuint)t * HiddenSize), ref hiddenGradient{(ctx.HasCell ? ", ref cellGradient" : string.Empty)});");
                string dz = t.HiddenSideGradient == 0 ? "ref row" : $"ref U.Add(ref row, {t.HiddenSideGradient})";
                w.Line(path.IsScalar
                    ? $"HiddenGradient{s}(ref weights, {dz}, ref hiddenGradient, false);"
                    : $"HiddenGradient{s}(ref weights, {dz}, ref hiddenGradient, (t & 1) == 1);");
            }

            w.Line($"InputGradients{s}(ref weights, ref U.Add(ref tape, TapeHeaderLength + TapeStride + {t.InputSideGradient}), TapeStride, steps, ref inputGradient);");
            w.Line($"ParameterGradients{s}(ref gradients, ref input, steps, 1, ref tape);");
        }
    }

    /// <summary>
    /// The batched drivers: <c>ForwardBatch</c> (B sequences, time-major per sequence, one batched step kernel per time
    /// step), its recording (the batch tape: a header, the rows interleaved by time, row (t, b) at (t + 1)·B + b, then the
    /// inputs time-major), and backpropagation through it (per step: each sequence's cell backward, then W_hhᵀ·dz for all
    /// sequences, a block of W_hh's rows at a time; after the loop the input and parameter gradients over all B·steps rows).
    /// </summary>
    public static void EmitBatchSequences(KernelContext ctx, PathPlan path)
    {
        SourceWriter w = ctx.W;
        string s = path.Suffix;
        TapeRowLayout t = ctx.Tape;
        string cell = ctx.HasCell ? ", ref float cell" : string.Empty;
        w.Line("/// <summary>B sequences of <paramref name=\"steps\"/> steps: input [B, steps, I], output [B, steps, H], hidden (and cell) [B, H] in and out.</summary>");
        ctx.MethodAttributes();
        w.Line($"public static void ForwardBatch{s}(ref float weights, ref float input, int steps, ref float output, ref float hidden{cell}, int sequences)");
        using (w.Braces())
        {
            w.Line("nuint inputStride = (nuint)steps * InputSize, outputStride = (nuint)steps * HiddenSize;");
            w.Line("for (int t = 0; t < steps; t++)");
            using (w.Braces())
            {
                w.Line("// h_{t-1}: the initial state for t = 0 (rows HiddenSize apart), then the previous output rows.");
                w.Line("ref float hiddenIn = ref t == 0 ? ref hidden : ref U.Add(ref output, (nuint)(t - 1) * HiddenSize);");
                w.Line("nuint hiddenInStride = t == 0 ? HiddenSize : outputStride;");
                w.Line("ref float hiddenOut = ref U.Add(ref output, (nuint)t * HiddenSize);");
                w.Line(ctx.HasCell
                    ? $"StepBatch{s}<{StepKernelEmitter.NoTape}>(ref weights, ref U.Add(ref input, (nuint)t * InputSize), inputStride, ref hiddenIn, hiddenInStride, ref hiddenOut, outputStride, ref cell, ref cell, HiddenSize, ref hiddenOut, 0, sequences);"
                    : $"StepBatch{s}<{StepKernelEmitter.NoTape}>(ref weights, ref U.Add(ref input, (nuint)t * InputSize), inputStride, ref hiddenIn, hiddenInStride, ref hiddenOut, outputStride, ref hiddenOut, 0, sequences);");
            }

            w.Line("for (int b = 0; b < sequences; b++)");
            using (w.Braces())
            {
                w.Line("MM.CreateReadOnlySpan(ref U.Add(ref output, (nuint)b * outputStride + (nuint)(steps - 1) * HiddenSize), HiddenSize).CopyTo(MM.CreateSpan(ref U.Add(ref hidden, (nuint)b * HiddenSize), HiddenSize));");
            }
        }

        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Records B sequences into the batch tape, rows interleaved by time: row (t, b) at TapeHeaderLength + ((t + 1)·B + b)·TapeStride");
        w.Line("/// (rows (-1, b) already hold the initial states); the inputs, time-major ([steps, B, InputSize]), follow the rows.");
        w.Line("/// </summary>");
        ctx.MethodAttributes();
        w.Line($"public static void RecordBatch{s}(ref float weights, int steps, ref float tape, int sequences)");
        using (w.Braces())
        {
            w.Line("nuint sequenceRows = (nuint)sequences * TapeStride;");
            w.Line("ref float input = ref U.Add(ref tape, TapeHeaderLength + (nuint)(steps + 1) * sequenceRows);");
            w.Line("for (int t = 0; t < steps; t++)");
            using (w.Braces())
            {
                w.Line("ref float previous = ref U.Add(ref tape, TapeHeaderLength + (nuint)t * sequenceRows);");
                w.Line("ref float row = ref U.Add(ref previous, sequenceRows);");
                w.Line(ctx.HasCell
                    ? $"StepBatch{s}<{StepKernelEmitter.WithTape}>(ref weights, ref U.Add(ref input, (nuint)t * (nuint)sequences * InputSize), InputSize, ref U.Add(ref previous, {t.Hidden}), TapeStride, ref U.Add(ref row, {t.Hidden}), TapeStride, ref U.Add(ref previous, {t.Cell}), ref U.Add(ref row, {t.Cell}), TapeStride, ref row, TapeStride, sequences);"
                    : $"StepBatch{s}<{StepKernelEmitter.WithTape}>(ref weights, ref U.Add(ref input, (nuint)t * (nuint)sequences * InputSize), InputSize, ref U.Add(ref previous, {t.Hidden}), TapeStride, ref U.Add(ref row, {t.Hidden}), TapeStride, ref row, TapeStride, sequences);");
            }
        }

        w.Line();
        w.Line("/// <summary>Backpropagation through time over a batch tape; ∂L/∂h" + (ctx.HasCell ? " and ∂L/∂c" : string.Empty) + " [B, H] flow through the given buffers, parameter gradients are summed.</summary>");
        ctx.MethodAttributes();
        w.Line($"public static void BackwardBatch{s}(ref float weights, ref float gradients, int steps, ref float tape, ref float outputGradient, ref float hiddenGradient{(ctx.HasCell ? ", ref float cellGradient" : string.Empty)}, int sequences)");
        using (w.Braces())
        {
            w.Line("nuint sequenceRows = (nuint)sequences * TapeStride;");
            w.Line("for (int t = steps - 1; t >= 0; t--)");
            using (w.Braces())
            {
                w.Line("ref float rows = ref U.Add(ref tape, TapeHeaderLength + (nuint)(t + 1) * sequenceRows);");
                w.Line("for (int b = 0; b < sequences; b++)");
                using (w.Braces())
                {
                    w.Line("nuint bb = (nuint)b;");
                    w.Line("ref float row = ref U.Add(ref rows, bb * TapeStride);");
                    w.Line($"CellBackward{s}(ref row, ref U.Subtract(ref row, sequenceRows), ref U.Add(ref outputGradient, (bb * (nuint)steps + (nuint)t) * HiddenSize), ref U.Add(ref hiddenGradient, bb * HiddenSize){(ctx.HasCell ? ", ref U.Add(ref cellGradient, bb * HiddenSize)" : string.Empty)});");
                }

                string dz = t.HiddenSideGradient == 0 ? "ref rows" : $"ref U.Add(ref rows, {t.HiddenSideGradient})";
                w.Line($"HiddenGradientBatch{s}(ref weights, {dz}, TapeStride, ref hiddenGradient, sequences, {(path.IsScalar ? "false" : "(t & 1) == 1")});");
            }

            w.Line("// All rows at once: the parameter gradients from the time-major inputs after the rows, then ∂L/∂x over those inputs.");
            w.Line("ref float inputs = ref U.Add(ref tape, TapeHeaderLength + (nuint)(steps + 1) * sequenceRows);");
            w.Line($"ParameterGradients{s}(ref gradients, ref inputs, steps * sequences, sequences, ref tape);");
            w.Line($"InputGradients{s}(ref weights, ref U.Add(ref tape, TapeHeaderLength + sequenceRows + {t.InputSideGradient}), TapeStride, steps * sequences, ref inputs);");
        }
    }

    /// <summary>The dispatch entry points every public member calls: one if/else chain over the kept paths.</summary>
    public static void EmitEntryPoints(KernelContext ctx)
    {
        SourceWriter w = ctx.W;
        string cell = ctx.HasCell ? ", ref float cell" : string.Empty;
        string cellGradient = ctx.HasCell ? ", ref float cellGradient" : string.Empty;

        w.Line("/// <summary>One step in place: reads h_{t-1}" + (ctx.HasCell ? " and c_{t-1}" : string.Empty) + " and overwrites them with h_t" + (ctx.HasCell ? " and c_t" : string.Empty) + ".</summary>");
        ctx.MethodAttributes();
        w.Line($"public static void Step(ref float weights, ref float input, ref float hidden{cell})");
        using (w.Braces())
        {
            Dispatch(ctx, path =>
            {
                string kernel = $"Step{KernelSuffix(ctx, path)}<{StepKernelEmitter.NoTape}>";
                if (!path.IsScalar && !path.SinglePass)
                {
                    w.Line($"// {path.Passes.Count} passes: later passes still read h_{{t-1}} after earlier ones wrote h_t, so h_{{t-1}} is copied first.");
                    w.Line("global::System.Span<float> previousHidden = stackalloc float[HiddenSize];");
                    w.Line("MM.CreateReadOnlySpan(ref hidden, HiddenSize).CopyTo(previousHidden);");
                    w.Line("ref float previous = ref MM.GetReference(previousHidden);");
                    w.Line($"{kernel}(ref weights, ref input, {StepKernelEmitter.StateArguments(ctx, "previous", "hidden", "cell")});");
                }
                else
                {
                    w.Line($"{kernel}(ref weights, ref input, {StepKernelEmitter.StateArguments(ctx, "hidden", "hidden", "cell")});");
                }
            });
        }

        w.Line();
        w.Line("/// <summary>Runs <paramref name=\"steps\"/> steps from the state in <paramref name=\"hidden\"/>, h_t into row t of <paramref name=\"output\"/>.</summary>");
        ctx.MethodAttributes();
        w.Line($"public static void Forward(ref float weights, ref float input, int steps, ref float output, ref float hidden{cell})");
        using (w.Braces())
        {
            Dispatch(ctx, path => w.Line($"Forward{KernelSuffix(ctx, path)}(ref weights, ref input, steps, ref output, ref hidden{CellArgument(ctx)});"));
        }

        w.Line();
        w.Line("/// <summary>Records <paramref name=\"steps\"/> steps into <paramref name=\"tape\"/> (row -1 must hold the initial state).</summary>");
        ctx.MethodAttributes();
        w.Line("public static void Record(ref float weights, ref float input, int steps, ref float tape)");
        using (w.Braces())
        {
            Dispatch(ctx, path => w.Line($"RecordSequence{KernelSuffix(ctx, path)}(ref weights, ref input, steps, ref tape);"));
        }

        w.Line();
        w.Line("/// <summary>One step of <paramref name=\"states\"/> independent states in place (hidden" + (ctx.HasCell ? ", cell" : string.Empty) + " [states, H]), a chunk of states at a time.</summary>");
        ctx.MethodAttributes();
        w.Line($"public static void StepBatch(ref float weights, ref float input, ref float hidden{cell}, int states)");
        using (w.Braces())
        {
            if (!BatchKernelEmitter.BlocksStates(ctx))
            {
                w.Line($"// {BatchKernelEmitter.WeightBytes(ctx) / 1024} KiB of weights stay in L1: blocks of states would save no memory traffic, so each state runs Step in place.");
                w.Line("for (int s = 0; s < states; s++)");
                using (w.Braces())
                {
                    w.Line(ctx.HasCell
                        ? "Step(ref weights, ref U.Add(ref input, (nuint)s * InputSize), ref U.Add(ref hidden, (nuint)s * HiddenSize), ref U.Add(ref cell, (nuint)s * HiddenSize));"
                        : "Step(ref weights, ref U.Add(ref input, (nuint)s * InputSize), ref U.Add(ref hidden, (nuint)s * HiddenSize));");
                }
            }
            else
            {
                EmitBlockedStepBatch(ctx);
            }
        }

        w.Line();
        w.Line("/// <summary>Runs <paramref name=\"sequences\"/> sequences of <paramref name=\"steps\"/> steps, batched.</summary>");
        ctx.MethodAttributes();
        w.Line($"public static void ForwardBatch(ref float weights, ref float input, int steps, ref float output, ref float hidden{cell}, int sequences)");
        using (w.Braces())
        {
            Dispatch(ctx, path => w.Line($"ForwardBatch{KernelSuffix(ctx, path)}(ref weights, ref input, steps, ref output, ref hidden{CellArgument(ctx)}, sequences);"));
        }

        w.Line();
        w.Line("/// <summary>Records <paramref name=\"sequences\"/> sequences into a batch tape (each sequence's row -1 must hold its initial state).</summary>");
        ctx.MethodAttributes();
        w.Line("public static void RecordBatch(ref float weights, int steps, ref float tape, int sequences)");
        using (w.Braces())
        {
            Dispatch(ctx, path => w.Line($"RecordBatch{KernelSuffix(ctx, path)}(ref weights, steps, ref tape, sequences);"));
        }

        w.Line();
        w.Line("/// <summary>Backpropagation through time over a batch tape; the parameter gradients of all sequences are summed.</summary>");
        ctx.MethodAttributes();
        w.Line($"public static void BackwardBatch(ref float weights, ref float gradients, int steps, ref float tape, ref float outputGradient, ref float hiddenGradient{cellGradient}, int sequences)");
        using (w.Braces())
        {
            Dispatch(ctx, path => w.Line($"BackwardBatch{KernelSuffix(ctx, path)}(ref weights, ref gradients, steps, ref tape, ref outputGradient, ref hiddenGradient{(ctx.HasCell ? ", ref cellGradient" : string.Empty)}, sequences);"));
        }

        w.Line();
        w.Line("/// <summary>Backpropagation through time over a recorded tape; ∂L/∂h" + (ctx.HasCell ? " and ∂L/∂c" : string.Empty) + " flow through the given buffers.</summary>");
        ctx.MethodAttributes();
        w.Line($"public static void Backward(ref float weights, ref float gradients, ref float input, int steps, ref float tape, ref float outputGradient, ref float inputGradient, ref float hiddenGradient{cellGradient})");
        using (w.Braces())
        {
            Dispatch(ctx, path => w.Line($"BackwardSequence{KernelSuffix(ctx, path)}(ref weights, ref gradients, ref input, steps, ref tape, ref outputGradient, ref inputGradient, ref hiddenGradient{(ctx.HasCell ? ", ref cellGradient" : string.Empty)});"));
        }
    }

    /// <summary>The suffix of the kernels a path runs: its own, or those of the wider path it shares them with.</summary>
    public static string KernelSuffix(KernelContext ctx, PathPlan path)
        => path.SharesKernelWith is Isa other ? ctx.Plan.Paths.First(p => p.Isa == other).Suffix : path.Suffix;

    private static void Dispatch(KernelContext ctx, System.Action<PathPlan> body)
    {
        SourceWriter w = ctx.W;
        int count = ctx.Plan.Paths.Count;
        for (int p = 0; p < count; p++)
        {
            PathPlan path = ctx.Plan.Paths[p];
            bool last = p == count - 1;
            if (count == 1)
            {
                body(path);
                return;
            }

            // The last kept path is the fallback: it runs wherever the wider ones are not accelerated (Vector128
            // code is correct, if slow, without hardware support).
            w.Line(p == 0 ? $"if ({path.Condition})" : last ? "else" : $"else if ({path.Condition})");
            using (w.Braces())
            {
                body(path);
            }
        }
    }

    /// <summary>The StepBatch entry point's body when blocks of states share the weight loads.</summary>
    private static void EmitBlockedStepBatch(KernelContext ctx)
    {
        SourceWriter w = ctx.W;
        w.Line("if (states == 1)");
        using (w.Braces())
        {
            w.Line("// One state: exactly Step (no copy of the state, no batched kernel).");
            w.Line($"Step(ref weights, ref input, ref hidden{CellArgument(ctx)});");
            w.Line("return;");
        }

        int chunk = System.Math.Max(1, 8192 / ctx.Layout.HiddenSize);
        w.Line($"// h_{{t-1}} is read by every vector column, h_t written column by column: a chunk of up to {chunk} state(s) is copied first");
        w.Line("// (sized to the call: without [SkipLocalsInit] the runtime zeroes what is allocated).");
        w.Line($"global::System.Span<float> previousHidden = stackalloc float[global::System.Math.Min(states, {chunk}) * HiddenSize];");
        w.Line("ref float previous = ref MM.GetReference(previousHidden);");
        w.Line($"for (int first = 0; first < states; first += {chunk})");
        using (w.Braces())
        {
            w.Line($"int count = global::System.Math.Min({chunk}, states - first);");
            w.Line("nuint at = (nuint)first * HiddenSize;");
            w.Line("MM.CreateReadOnlySpan(ref U.Add(ref hidden, at), count * HiddenSize).CopyTo(previousHidden);");
            w.Line("ref float x = ref U.Add(ref input, (nuint)first * InputSize);");
            w.Line("ref float h = ref U.Add(ref hidden, at);");
            if (ctx.HasCell)
            {
                w.Line("ref float c = ref U.Add(ref cell, at);");
            }

            Dispatch(ctx, path => w.Line(ctx.HasCell
                ? $"StepBatch{KernelSuffix(ctx, path)}<{StepKernelEmitter.NoTape}>(ref weights, ref x, InputSize, ref previous, HiddenSize, ref h, HiddenSize, ref c, ref c, HiddenSize, ref h, 0, count);"
                : $"StepBatch{KernelSuffix(ctx, path)}<{StepKernelEmitter.NoTape}>(ref weights, ref x, InputSize, ref previous, HiddenSize, ref h, HiddenSize, ref h, 0, count);"));
        }
    }
}
