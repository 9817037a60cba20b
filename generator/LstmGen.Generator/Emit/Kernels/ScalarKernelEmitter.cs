using System.Linq;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Emit.Cells;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emit.Kernels;

/// <summary>
/// The scalar path: plain loops over the same panel layout, for machines without SIMD acceleration and for
/// fewer than 4 hidden units. The pre-activations of both sides are summed separately (zx from W_ih, zh from
/// W_hh) and combined per gate as the cell needs them.
/// </summary>
internal static class ScalarKernelEmitter
{
    private static readonly VectorSyntax S = new(1);

    public static void EmitHelpers(KernelContext ctx)
    {
        PanelLayout l = ctx.Layout;
        ctx.W.Line($"// Scalar code finds (gate, unit) in the packed column order: group (unit / {l.Atom}) starts at column {l.Gates}·{l.Atom}·group,");
        ctx.W.Line("// and its gates are the group's width apart (the last group may be narrower).");
        ctx.W.Line($"private static nuint ColumnOf(nuint unit) => unit / {l.Atom} * {l.Gates * l.Atom} + unit % {l.Atom};");
        ctx.W.Line(l.LastGroupWidth == l.Atom
            ? $"private static nuint GateStrideOf(nuint unit) => {l.Atom};"
            : $"private static nuint GateStrideOf(nuint unit) => unit < {(l.Groups - 1) * l.Atom} ? (nuint){l.Atom} : {l.LastGroupWidth};");
        ctx.W.Line();
    }

    public static void EmitStep(KernelContext ctx)
    {
        SourceWriter w = ctx.W;
        CellDescriptor cell = ctx.Cell;
        TapeRowLayout t = ctx.Tape;
        w.Line("/// <summary>One step in scalar code: z_x = b_ih + W_ih·x and z_h = b_hh + W_hh·h over every packed column, then the update per unit (with <c>WithTape</c>, recorded in <paramref name=\"row\"/>).</summary>");
        ctx.MethodAttributes();
        w.Line($"public static void StepScalar<TTape>(ref float weights, {StepKernelEmitter.Parameters(ctx, projects: false)})");
        w.Line("    where TTape : struct");
        using (w.Braces())
        {
            w.Line("global::System.Span<float> preActivations = stackalloc float[2 * Columns];");
            w.Line("ref float zx = ref MM.GetReference(preActivations);");
            w.Line("ref float zh = ref U.Add(ref zx, Columns);");
            w.Line("ref float biasIh = ref U.Add(ref weights, BiasIhOffset);");
            w.Line("ref float biasHh = ref U.Add(ref weights, BiasHhOffset);");
            ColumnKernelEmitter.ForEachPanel(ctx, (width, panelStart, columnStart) =>
            {
                w.Line($"ref float px = ref U.Add(ref zx, {columnStart});");
                w.Line($"ref float ph = ref U.Add(ref zh, {columnStart});");
                w.Line($"for (nuint c = 0; c < {width}; c++)");
                using (w.Braces())
                {
                    w.Line($"U.Add(ref px, c) = U.Add(ref biasIh, {columnStart} + c);");
                    w.Line($"U.Add(ref ph, c) = U.Add(ref biasHh, {columnStart} + c);");
                }

                w.Line($"ref float w = ref U.Add(ref weights, {panelStart});");
                foreach ((string count, string source, string target) in new[] { ("InputSize", "input", "px"), ("HiddenSize", "hiddenIn", "ph") })
                {
                    w.Line($"for (nuint k = 0; k < {count}; k++)");
                    using (w.Braces())
                    {
                        w.Line($"float scale = U.Add(ref {source}, k);");
                        w.Line($"for (nuint c = 0; c < {width}; c++)");
                        using (w.Braces())
                        {
                            w.Line($"U.Add(ref {target}, c) += U.Add(ref w, c) * scale;");
                        }

                        w.Line($"w = ref U.Add(ref w, {width});");
                    }
                }
            });

            w.Line(ctx.HasCell ? $"ref float tanhCell = ref U.Add(ref row, {t.TanhCell});" : $"ref float hiddenSide = ref U.Add(ref row, {t.HiddenSideGradient});");
            w.Line("// Per unit, after every column is summed (so h may be updated in place).");
            w.Line("for (nuint unit = 0; unit < HiddenSize; unit++)");
            using (w.Braces())
            {
                w.Line("nuint column = ColumnOf(unit);");
                w.Line("nuint stride = GateStrideOf(unit);");
                string[] slots = cell.Slots.Select(slot =>
                {
                    string x = slot.InputGate >= 0 ? $"U.Add(ref zx, {SequenceEmitter.ScalarColumn(slot.InputGate)})" : string.Empty;
                    string h = slot.HiddenGate >= 0 ? $"U.Add(ref zh, {SequenceEmitter.ScalarColumn(slot.HiddenGate)})" : string.Empty;
                    return x.Length > 0 && h.Length > 0 ? $"{x} + {h}" : x + h;
                }).ToArray();
                w.Line($"if (typeof(TTape) == typeof({StepKernelEmitter.WithTape}))");
                using (w.Braces())
                {
                    CellMath.Forward(w, cell, S, slots, "unit", SequenceEmitter.ScalarColumn, 0, ctx.HasCell
                        ? new CellRefs("hiddenIn", "hiddenOut", "cellIn", "cellOut", "tanhCell", "row", null)
                        : new CellRefs("hiddenIn", "hiddenOut", null, null, null, "row", "hiddenSide"));
                }

                w.Line("else");
                using (w.Braces())
                {
                    CellMath.Forward(w, cell, S, slots, "unit", SequenceEmitter.ScalarColumn, 0, ctx.HasCell
                        ? new CellRefs("hiddenIn", "hiddenOut", "cellIn", "cellOut", null, null, null)
                        : new CellRefs("hiddenIn", "hiddenOut", null, null, null, null, null));
                }
            }
        }
    }

    /// <summary>The batched step in scalar code: one state after another.</summary>
    public static void EmitStepBatch(KernelContext ctx)
    {
        SourceWriter w = ctx.W;
        w.Line("/// <summary>One step of <paramref name=\"states\"/> independent states in scalar code (see the vector paths' <c>StepBatch</c> for the strides).</summary>");
        ctx.MethodAttributes();
        w.Line($"public static void StepBatchScalar<TTape>(ref float weights, {BatchKernelEmitter.Parameters(ctx)})");
        w.Line("    where TTape : struct");
        using (w.Braces())
        {
            w.Line("for (int state = 0; state < states; state++)");
            using (w.Braces())
            {
                w.Line("nuint s = (nuint)state;");
                w.Line(ctx.HasCell
                    ? "StepScalar<TTape>(ref weights, ref U.Add(ref input, s * inputStride), ref U.Add(ref hiddenIn, s * hiddenInStride), ref U.Add(ref hiddenOut, s * hiddenOutStride), ref U.Add(ref cellIn, s * cellStride), ref U.Add(ref cellOut, s * cellStride), ref U.Add(ref row, s * rowStride));"
                    : "StepScalar<TTape>(ref weights, ref U.Add(ref input, s * inputStride), ref U.Add(ref hiddenIn, s * hiddenInStride), ref U.Add(ref hiddenOut, s * hiddenOutStride), ref U.Add(ref row, s * rowStride));");
            }
        }
    }

    public static void EmitHiddenGradient(KernelContext ctx, bool accumulate)
    {
        SourceWriter w = ctx.W;
        w.Line("/// <summary>∂L/∂h_{t-1} " + (accumulate ? "+=" : "=") + " W_hhᵀ·dz in scalar code for <paramref name=\"sequences\"/> sequences: one dot product per row of W_hh (all panels).</summary>");
        ctx.MethodAttributes();
        w.Line("public static void HiddenGradientBatchScalar(ref float weights, ref float dz, nuint dzStride, ref float hiddenGradient, int sequences, bool reverse)");
        using (w.Braces())
        {
            w.Line("for (int s = 0; s < sequences; s++)");
            using (w.Braces())
            {
                w.Line("ref float dzS = ref U.Add(ref dz, (nuint)s * dzStride);");
                w.Line("ref float gradientS = ref U.Add(ref hiddenGradient, (nuint)s * HiddenSize);");
                w.Line("for (nuint j = 0; j < HiddenSize; j++)");
                using (w.Braces())
                {
                    w.Line("float sum = 0;");
                    EmitDot(ctx, "InputSize + j", "dzS");
                    w.Line(accumulate ? "U.Add(ref gradientS, j) += sum;" : "U.Add(ref gradientS, j) = sum;");
                }
            }
        }

        w.Line();
        w.Line("/// <summary>One sequence of <see cref=\"HiddenGradientBatchScalar\"/>.</summary>");
        w.Line("public static void HiddenGradientScalar(ref float weights, ref float dz, ref float hiddenGradient, bool reverse)");
        w.Line("    => HiddenGradientBatchScalar(ref weights, ref dz, 0, ref hiddenGradient, 1, reverse);");
    }

    public static void EmitInputGradients(KernelContext ctx)
    {
        SourceWriter w = ctx.W;
        w.Line("/// <summary>∂L/∂x_t = W_ihᵀ·dz_t for every step, in scalar code.</summary>");
        ctx.MethodAttributes();
        w.Line("public static void InputGradientsScalar(ref float weights, ref float firstDz, nuint dzStride, int steps, ref float inputGradient)");
        using (w.Braces())
        {
            w.Line("for (int t = 0; t < steps; t++)");
            using (w.Braces())
            {
                w.Line("ref float dz = ref U.Add(ref firstDz, (nuint)t * dzStride);");
                w.Line("for (nuint k = 0; k < InputSize; k++)");
                using (w.Braces())
                {
                    w.Line("float sum = 0;");
                    EmitDot(ctx, "k", "dz");
                    w.Line("U.Add(ref inputGradient, (nuint)t * InputSize + k) = sum;");
                }
            }
        }
    }

    private static void EmitDot(KernelContext ctx, string row, string dz)
    {
        SourceWriter w = ctx.W;
        ColumnKernelEmitter.ForEachPanel(ctx, (width, panelStart, columnStart) =>
        {
            w.Line($"ref float weightRow = ref U.Add(ref weights, {panelStart} + ({row}) * {width});");
            w.Line($"ref float panelDz = ref U.Add(ref {dz}, {columnStart});");
            w.Line($"for (nuint c = 0; c < {width}; c++)");
            using (w.Braces())
            {
                w.Line("sum += U.Add(ref weightRow, c) * U.Add(ref panelDz, c);");
            }
        });
    }

    public static void EmitParameterGradients(KernelContext ctx)
    {
        SourceWriter w = ctx.W;
        TapeRowLayout t = ctx.Tape;
        w.Line("/// <summary>Parameter gradients in scalar code: each element's sum over the steps is formed from zero, then added.</summary>");
        ctx.MethodAttributes();
        w.Line("public static void ParameterGradientsScalar(ref float gradients, ref float input, int rows, int sequences, ref float tape)");
        using (w.Braces())
        {
            w.Line("// Row n (interleaved by time) at TapeHeaderLength + (sequences + n)·TapeStride, its input at input + n·InputSize,");
            w.Line("// its h_{t-1} in row n - sequences.");
            w.Line("nuint sequenceRows = (nuint)sequences * TapeStride;");
            w.Line("ref float firstRow = ref U.Add(ref tape, TapeHeaderLength + sequenceRows);");
            ColumnKernelEmitter.ForEachPanel(ctx, (width, panelStart, columnStart) =>
            {
                foreach ((string count, string rowBase, string scale, int dzOffset) in new[]
                {
                    ("InputSize", "0", "U.Add(ref input, n * InputSize + r)", t.InputSideGradient),
                    ("HiddenSize", "InputSize", $"U.Add(ref U.Subtract(ref tapeRow, sequenceRows - {t.Hidden}), r)", t.HiddenSideGradient),
                })
                {
                    w.Line($"for (nuint r = 0; r < {count}; r++)");
                    using (w.Braces())
                    {
                        w.Line($"ref float gradient = ref U.Add(ref gradients, {panelStart} + ({rowBase} + r) * {width});");
                        w.Line($"for (nuint c = 0; c < {width}; c++)");
                        using (w.Braces())
                        {
                            w.Line("float sum = 0;");
                            w.Line("for (nuint n = 0; n < (nuint)rows; n++)");
                            using (w.Braces())
                            {
                                w.Line("ref float tapeRow = ref U.Add(ref firstRow, n * TapeStride);");
                                w.Line($"sum += {scale} * U.Add(ref tapeRow, {columnStart} + {dzOffset} + c);");
                            }

                            w.Line("U.Add(ref gradient, c) += sum;");
                        }
                    }
                }
            });

            foreach ((string offset, int dzOffset) in new[] { ("BiasIhOffset", t.InputSideGradient), ("BiasHhOffset", t.HiddenSideGradient) })
            {
                w.Line($"for (nuint c = 0; c < Columns; c++)");
                using (w.Braces())
                {
                    w.Line("float sum = 0;");
                    w.Line("for (nuint n = 0; n < (nuint)rows; n++)");
                    using (w.Braces())
                    {
                        w.Line($"sum += U.Add(ref firstRow, n * TapeStride + {dzOffset} + c);");
                    }

                    w.Line($"U.Add(ref gradients, {offset} + c) += sum;");
                }
            }
        }
    }
}
