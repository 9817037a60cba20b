using System.Linq;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emit.Kernels;

/// <summary>
/// The batched step: many independent states advanced by one step with the same weights. Each vector column's weights
/// are loaded once per row for a block of states and multiplied into all of them (the work becomes multiply-add bound
/// instead of bound by streaming the weights), and the column's weights stay in L1 for the next block of states.
/// </summary>
internal static class BatchKernelEmitter
{
    /// <summary>States whose accumulators share each loaded weight vector: 4 with 32 vector registers, 2 with 16.</summary>
    public static int StatesPerBlock(PathPlan path) => path.StatesPerBlock;

    /// <summary>Bytes of weights a step streams.</summary>
    public static long WeightBytes(KernelContext ctx) => (long)ctx.Layout.ColumnCount * (ctx.Layout.InputSize + ctx.Layout.HiddenSize) * sizeof(float);

    /// <summary>
    /// Whether blocks of states share the weight loads: from 32 KiB of weights on. Below, the weights stay in L1 and
    /// the step kernel, run state by state, is as fast.
    /// </summary>
    public static bool BlocksStates(KernelContext ctx) => WeightBytes(ctx) >= LayerPlanner.ProjectionMinimumWeightBytes;

    public static string Parameters(KernelContext ctx) => ctx.HasCell
        ? "ref float input, nuint inputStride, ref float hiddenIn, nuint hiddenInStride, ref float hiddenOut, nuint hiddenOutStride, ref float cellIn, ref float cellOut, nuint cellStride, ref float row, nuint rowStride, int states"
        : "ref float input, nuint inputStride, ref float hiddenIn, nuint hiddenInStride, ref float hiddenOut, nuint hiddenOutStride, ref float row, nuint rowStride, int states";

    public static void Emit(KernelContext ctx, PathPlan path)
    {
        SourceWriter w = ctx.W;
        CellDescriptor cell = ctx.Cell;
        var v = new VectorSyntax(path.Lanes);
        int block = StatesPerBlock(path);
        w.Line("/// <summary>");
        w.Line($"/// One step of <paramref name=\"states\"/> independent states (state s: x at s·inputStride, h_{{t-1}} at s·hiddenInStride, h_t at");
        w.Line($"/// s·hiddenOutStride{(ctx.HasCell ? ", c at s·cellStride" : string.Empty)}, tape row at s·rowStride). For each vector column, {block} states at a time share every");
        w.Line("/// loaded weight vector; h_{t-1} must not share memory with h_t. With <c>WithTape</c> it records each state's row.");
        w.Line("/// </summary>");
        ctx.MethodAttributes("a kernel");
        w.Line($"public static void StepBatch{path.Suffix}<TTape>(ref float weights, {Parameters(ctx)})");
        w.Line("    where TTape : struct");
        using (w.Braces())
        {
            w.Line("ref float biasIh = ref U.Add(ref weights, BiasIhOffset);");
            w.Line("ref float biasHh = ref U.Add(ref weights, BiasHhOffset);");
            long weightBytes = WeightBytes(ctx);
            bool blocks = BlocksStates(ctx);
            if (blocks)
            {
                w.Line($"// The states beyond the last full block of {block} run the step kernel one at a time (its passes have accumulators");
                w.Line("// enough to hide the multiply-add latency; a block of one state would not).");
            }
            else
            {
                w.Line($"// {weightBytes / 1024} KiB of weights stay in L1: blocks of states would save no memory traffic, so each state runs the step kernel.");
            }

            w.Line(blocks ? $"int blocked = states / {block} * {block};" : "int blocked = 0;");
            w.Line("for (int s = blocked; s < states; s++)");
            using (w.Braces())
            {
                w.Line("nuint at = (nuint)s;");
                w.Line(ctx.HasCell
                    ? $"Step{path.Suffix}<TTape>(ref weights, ref U.Add(ref input, at * inputStride), ref U.Add(ref hiddenIn, at * hiddenInStride), ref U.Add(ref hiddenOut, at * hiddenOutStride), ref U.Add(ref cellIn, at * cellStride), ref U.Add(ref cellOut, at * cellStride), ref U.Add(ref row, at * rowStride));"
                    : $"Step{path.Suffix}<TTape>(ref weights, ref U.Add(ref input, at * inputStride), ref U.Add(ref hiddenIn, at * hiddenInStride), ref U.Add(ref hiddenOut, at * hiddenOutStride), ref U.Add(ref row, at * rowStride));");
            }

            if (!blocks)
            {
                return;
            }

            StepKernelEmitter.ForEachPass(ctx, path, null, (position, pass, _) =>
                StepKernelEmitter.ForEachColumn(w, pass, position, 0, "panelWeights", (at, column, _, weights) =>
                {
                    int width = ctx.Layout.PanelWidth(pass.Panel);
                    string kind = column.Paired ? " (paired)" : column.IsShifted ? " (shifted)" : string.Empty;
                    int units = column.Paired ? path.Lanes / 2 : path.Lanes;
                    w.Line($"// Units {at.Unit(column.FirstUnit)}..{at.Unit(column.FirstUnit + units - 1)}{kind}: {block} states at a time.");
                    using (w.Braces())
                    {
                        foreach (int s in column.VectorSlots(AllSlots(cell)))
                        {
                            w.Line($"var bias{StepKernelEmitter.VectorName(cell, column, s)} = {StepKernelEmitter.BiasInit(v, cell.Slots[s], column, at)};");
                        }

                        w.Line($"for (int s = 0; s + {block} <= states; s += {block})");
                        using (w.Braces())
                        {
                            EmitBlock(ctx, path, v, at, column, weights!, width, block);
                        }
                    }
                }));
        }

    }

    private static int[] AllSlots(CellDescriptor cell) => Enumerable.Range(0, cell.Slots.Length).ToArray();

    private static void EmitBlock(KernelContext ctx, PathPlan path, VectorSyntax v, PanelPosition at, VectorColumn column, string weights, int width, int n)
    {
        SourceWriter w = ctx.W;
        CellDescriptor cell = ctx.Cell;
        string Name(int s) => StepKernelEmitter.VectorName(cell, column, s);
        w.Line($"// State s + n: x at x{{n}}, h_{{t-1}} at hIn{{n}}, h_t at hOut{{n}}{(ctx.HasCell ? ", c at cIn{n} and cOut{n}" : string.Empty)}, its tape row at row{{n}}.");
        for (int st = 0; st < n; st++)
        {
            string state = st == 0 ? "(nuint)s" : $"(nuint)(s + {st})";
            w.Line($"ref float x{st} = ref U.Add(ref input, {state} * inputStride);");
            w.Line($"ref float hIn{st} = ref U.Add(ref hiddenIn, {state} * hiddenInStride);");
            w.Line($"ref float hOut{st} = ref U.Add(ref hiddenOut, {state} * hiddenOutStride);");
            if (ctx.HasCell)
            {
                w.Line($"ref float cIn{st} = ref U.Add(ref cellIn, {state} * cellStride);");
                w.Line($"ref float cOut{st} = ref U.Add(ref cellOut, {state} * cellStride);");
            }

            w.Line($"ref float row{st} = ref U.Add(ref row, {state} * rowStride);");
            foreach (int s in column.VectorSlots(AllSlots(cell)))
            {
                w.Line($"var a{st}{Name(s)} = bias{Name(s)};");
            }
        }

        w.Line($"ref float w = ref {weights};");
        foreach ((string count, string source, int[] slots, bool input) in new[]
        {
            ("InputSize", "x", cell.InputSlots, true),
            ("HiddenSize", "hIn", cell.HiddenSlots, false),
        })
        {
            w.Line(input ? "// z += W_ih·x_t for each state." : "// z += W_hh·h_{t-1} for each state (the panel's W_hh rows follow its W_ih rows).");
            w.Line($"for (nuint k = 0; k < {count}; k++)");
            using (w.Braces())
            {
                int[] vectorSlots = column.VectorSlots(slots);
                foreach (int s in vectorSlots)
                {
                    Slot slot = cell.Slots[s];
                    w.Line($"var w{Name(s)} = {v.Load("w", column.Offset(input ? slot.InputGate : slot.HiddenGate))};");
                }

                for (int st = 0; st < n; st++)
                {
                    w.Line($"var u{st} = {v.Broadcast($"U.Add(ref {source}{st}, k)")};");
                    foreach (int s in vectorSlots)
                    {
                        string acc = $"a{st}{Name(s)}";
                        w.Line($"{acc} = {v.Fma($"w{Name(s)}", $"u{st}", acc)};");
                    }
                }

                w.Line($"w = ref U.Add(ref w, {width});");
            }
        }

        w.Line($"if (typeof(TTape) == typeof({StepKernelEmitter.WithTape}))");
        using (w.Braces())
        {
            EmitCalls(ctx, path, at, column, n, record: true);
        }

        w.Line("else");
        using (w.Braces())
        {
            EmitCalls(ctx, path, at, column, n, record: false);
        }
    }

    private static void EmitCalls(KernelContext ctx, PathPlan path, PanelPosition at, VectorColumn column, int n, bool record)
    {
        CellDescriptor cell = ctx.Cell;
        string method = StepKernelEmitter.CellMethodName(record, path);
        for (int st = 0; st < n; st++)
        {
            string slots = string.Join(", ", column.VectorSlots(AllSlots(cell)).Select(s => $"a{st}{StepKernelEmitter.VectorName(cell, column, s)}"));
            string refs = $"ref hIn{st}, ref hOut{st}" + (ctx.HasCell ? $", ref cIn{st}, ref cOut{st}" : string.Empty) + (record ? $", ref row{st}" : string.Empty);

            ctx.W.Line(StepKernelEmitter.CellCall(method, column, slots, at, refs));
        }
    }
}
