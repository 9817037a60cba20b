using System;
using System.Collections.Generic;
using System.Linq;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Emit.Cells;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emit.Kernels;

/// <summary>
/// The weight-streaming step kernels of one path, for any cell: each pass keeps its vector columns' slot
/// accumulators in registers while the panel's rows stream past (one broadcast input element per row), then
/// updates those units' state. One kernel text per kind serves both modes through type arguments the JIT
/// specializes on: <c>TTape</c> (<c>NoTape</c>/<c>WithTape</c>: record the activations or not) and, for the
/// recurrent kernel, <c>TOrder</c> (<c>RowsInOrder</c>/<c>RowsReversed</c>). Also the input projection of a block of steps.
/// </summary>
internal static class StepKernelEmitter
{
    public const string WithTape = "global::LstmGen.Kernels.WithTape";
    public const string NoTape = "global::LstmGen.Kernels.NoTape";
    public const string RowsInOrder = "global::LstmGen.Kernels.RowsInOrder";
    public const string RowsReversed = "global::LstmGen.Kernels.RowsReversed";

    /// <summary><c>Step512</c> (b + W_ih·x + W_hh·h) or <c>StepRecurrent512</c> (projected W_ih·x + b, then W_hh·h).</summary>
    public static string Name(bool projects, PathPlan path) => (projects ? "StepRecurrent" : "Step") + path.Suffix;

    /// <summary>The parameter list after <c>ref float weights</c>; <c>row</c> is the tape row (unused without a tape).</summary>
    public static string Parameters(KernelContext ctx, bool projects)
    {
        string source = projects ? "ref float projected" : "ref float input";
        return ctx.HasCell
            ? $"{source}, ref float hiddenIn, ref float hiddenOut, ref float cellIn, ref float cellOut, ref float row"
            : $"{source}, ref float hiddenIn, ref float hiddenOut, ref float row";
    }

    /// <summary>The state arguments of a call without a tape: in-place cell, and <c>hiddenOut</c> standing in for the unused row.</summary>
    public static string StateArguments(KernelContext ctx, string hiddenIn, string hiddenOut, string cell)
        => ctx.HasCell ? $"ref {hiddenIn}, ref {hiddenOut}, ref {cell}, ref {cell}, ref {hiddenOut}" : $"ref {hiddenIn}, ref {hiddenOut}, ref {hiddenOut}";

    /// <summary>The state arguments of a recording call: the state is read from the previous tape row, written to this one.</summary>
    public static string TapeArguments(KernelContext ctx, string previous, string row)
    {
        TapeRowLayout t = ctx.Tape;
        return ctx.HasCell
            ? $"ref U.Add(ref {previous}, {t.Hidden}), ref U.Add(ref {row}, {t.Hidden}), ref U.Add(ref {previous}, {t.Cell}), ref U.Add(ref {row}, {t.Cell}), ref {row}"
            : $"ref U.Add(ref {previous}, {t.Hidden}), ref U.Add(ref {row}, {t.Hidden}), ref {row}";
    }

    public static void Emit(KernelContext ctx, PathPlan path, bool projects)
    {
        SourceWriter w = ctx.W;
        CellDescriptor cell = ctx.Cell;
        var v = new VectorSyntax(path.Lanes);
        w.Line("/// <summary>");
        w.Line($"/// One time step with {path.Lanes}-float vectors: {(projects ? "z = (the projected W_ih·x_t + b) + W_hh·h_{t-1}" : "z = b + W_ih·x_t + W_hh·h_{t-1}")}, then the {cell.DisplayName} update.");
        w.Line($"/// Each pass keeps its units' slot accumulators ({string.Join(", ", cell.Slots.Select(s => s.Name))}) in registers while its panel's rows stream past once.");
        w.Line("/// With <c>WithTape</c> it also records the activations in <paramref name=\"row\"/>.");
        if (projects)
        {
            w.Line("/// With <c>RowsReversed</c> it reads the passes and W_hh's rows last to first: run on alternate steps, each step starts");
            w.Line("/// with the weights the previous step read last, still in the L1 cache.");
        }

        w.Line("/// </summary>");
        ctx.MethodAttributes("a kernel: inlined into a loop, its own activations would exceed the JIT's inlining budget");
        w.Line(projects
            ? $"public static void {Name(projects, path)}<TTape, TOrder>(ref float weights, {Parameters(ctx, projects)})"
            : $"public static void {Name(projects, path)}<TTape>(ref float weights, {Parameters(ctx, projects)})");
        w.Line(projects ? "    where TTape : struct where TOrder : struct" : "    where TTape : struct");
        using (w.Braces())
        {
            if (!projects || cell.Slots.Any(s => s.InputGate < 0))
            {
                w.Line("ref float biasIh = ref U.Add(ref weights, BiasIhOffset);");
                w.Line("ref float biasHh = ref U.Add(ref weights, BiasHhOffset);");
            }

            if (projects)
            {
                w.Line($"bool reversed = typeof(TOrder) == typeof({RowsReversed});");
            }

            ForEachPass(ctx, path, projects ? "reversed" : null, (position, pass, image) => EmitPass(ctx, path, v, projects, position, pass));
        }
    }

    /// <summary>
    /// Emits <paramref name="body"/> for every pass of a path, in order (last first with <paramref name="reverse"/>),
    /// inside its loop for looped passes. The position gives the pass's first unit, packed column, projected offset
    /// and <c>panelWeights</c> (its panel's W_ih row 0, at the pass's first column for looped passes).
    /// </summary>
    public static void ForEachPass(KernelContext ctx, PathPlan path, string? reversed, Action<PanelPosition, KernelPass, int> body, bool declareWeights = true)
    {
        SourceWriter w = ctx.W;
        PanelLayout layout = ctx.Layout;
        int[] inputSlots = ctx.Cell.InputSlots;
        var entries = new List<(KernelPass Pass, int Image)>();
        int image = 0;
        foreach (KernelPass pass in path.Passes)
        {
            entries.Add((pass, image));
            image += pass.Count * ImageFloats(pass, inputSlots, path.Lanes);
        }

        foreach ((KernelPass pass, int imageStart) in entries)
        {
            w.Line();
            if (pass.Loop is not PassLoop loop)
            {
                w.Line($"// Panel {pass.Panel}: units {pass.FirstUnit}..{pass.Columns[pass.Columns.Count - 1].FirstUnit + path.Lanes - 1}.");
                using (w.Braces())
                {
                    if (declareWeights)
                    {
                        w.Line($"ref float panelWeights = ref U.Add(ref weights, {layout.PanelStart(pass.Panel)});");
                    }

                    body(PanelPosition.Fixed(layout, pass.Panel, imageStart), pass, imageStart);
                }

                continue;
            }

            int perIteration = ImageFloats(pass, inputSlots, path.Lanes);
            int ga = layout.Gates * layout.Atom;
            w.Line($"// {loop.Count} identical passes over groups {loop.FirstGroup}..{loop.FirstGroup + loop.Count / loop.SubPasses * loop.GroupsPerPass - 1}{(reversed is null ? string.Empty : " (last first when reversed)")}: `unit`, `column` and `image` are a pass's first unit, packed column and projected offset.");
            w.Line(reversed is null ? $"for (nuint pass = 0; pass < {loop.Count}; pass++)" : $"for (nuint iteration = 0; iteration < {loop.Count}; iteration++)");
            using (w.Braces())
            {
                if (reversed is not null)
                {
                    w.Line($"nuint pass = {reversed} ? {loop.Count - 1} - iteration : iteration;");
                }

                string groupExpr = loop.SubPasses > 1 ? $"pass / {loop.SubPasses}" : loop.GroupsPerPass > 1 ? $"pass * {loop.GroupsPerPass}" : "pass";
                w.Line(loop.FirstGroup == 0 ? $"nuint group = {groupExpr};" : $"nuint group = {loop.FirstGroup} + {groupExpr};");
                string sub = string.Empty;
                if (loop.SubPasses > 1)
                {
                    w.Line($"nuint sub = pass % {loop.SubPasses} * {loop.SubPassUnits};");
                    sub = " + sub";
                }

                w.Line($"nuint unit = group * {layout.Atom}{sub};");
                w.Line($"nuint column = group * {ga}{sub};");
                w.Line(imageStart == 0 ? $"nuint image = pass * {perIteration};" : $"nuint image = {imageStart} + pass * {perIteration};");
                if (declareWeights)
                {
                    int p = layout.GroupsPerPanel;
                    int lastPanel = layout.PanelCount - 1;
                    w.Line(loop.InFullPanels
                        ? $"ref float panelWeights = ref U.Add(ref weights, group / {p} * {(long)p * ga * (layout.InputSize + layout.HiddenSize)} + group % {p} * {ga}{sub});"
                        : $"ref float panelWeights = ref U.Add(ref weights, {layout.PanelStart(lastPanel)} + (group - {layout.FirstGroup(lastPanel)}) * {ga}{sub});");
                }

                body(PanelPosition.Loop(), pass, 0);
            }
        }
    }

    /// <summary>Floats of one pass's projected image: a vector per W_ih-fed accumulator.</summary>
    private static int ImageFloats(KernelPass pass, int[] inputSlots, int lanes) => pass.Columns.Sum(c => c.VectorSlots(inputSlots).Length) * lanes;

    /// <summary>
    /// Emits <paramref name="body"/> for each vector column of a pass. Consecutive columns that are translations of
    /// one another (same gate stride, equal steps in unit and column) run as a loop whose body sees the first column
    /// moved to relative position 0 and variables <c>unitC</c>, <c>columnC</c>, <c>imageC</c> and <c>columnWeights</c>.
    /// </summary>
    public static void ForEachColumn(SourceWriter w, KernelPass pass, PanelPosition at, int imagePerColumn, string? weights,
        Action<PanelPosition, VectorColumn, int, string?> body)
    {
        EquatableArray<VectorColumn> columns = pass.Columns;
        int start = 0, image = 0;
        while (start < columns.Count)
        {
            VectorColumn first = columns[start];
            int end = start + 1;
            if (!first.IsShifted && !first.Paired && start + 1 < columns.Count)
            {
                int unitStep = columns[start + 1].FirstUnit - first.FirstUnit, offsetStep = columns[start + 1].OffsetInPanel - first.OffsetInPanel;
                while (end < columns.Count && !columns[end].IsShifted && !columns[end].Paired && columns[end].GateStride == first.GateStride
                    && columns[end].FirstUnit - columns[end - 1].FirstUnit == unitStep && columns[end].OffsetInPanel - columns[end - 1].OffsetInPanel == offsetStep)
                {
                    end++;
                }

                if (end - start >= 2)
                {
                    w.Line($"// {end - start} columns alike, {unitStep} units apart.");
                    w.Line($"for (nuint c = 0; c < {end - start}; c++)");
                    using (w.Braces())
                    {
                        w.Line($"nuint unitC = {at.Unit(first.FirstUnit)} + c * {unitStep};");
                        w.Line($"nuint columnC = {at.Column(first.OffsetInPanel)} + c * {offsetStep};");
                        w.Line($"nuint imageC = {at.Projected(image)} + c * {imagePerColumn};");
                        if (weights is not null)
                        {
                            w.Line($"ref float columnWeights = ref U.Add(ref {weights}, {first.OffsetInPanel} + c * {offsetStep});");
                        }

                        body(PanelPosition.Variables("unitC", "columnC", "imageC"), first with { FirstUnit = 0, OffsetInPanel = 0 }, 0, weights is null ? null : "columnWeights");
                    }

                    image += (end - start) * imagePerColumn;
                    start = end;
                    continue;
                }
            }

            body(at, first, image, weights);
            image += first.Paired ? imagePerColumn / 2 : imagePerColumn; // a paired column: one vector per pair of slots
            start++;
        }
    }

    private static void EmitPass(KernelContext ctx, PathPlan path, VectorSyntax v, bool projects, PanelPosition at, KernelPass pass)
    {
        SourceWriter w = ctx.W;
        CellDescriptor cell = ctx.Cell;
        PanelLayout layout = ctx.Layout;
        int width = layout.PanelWidth(pass.Panel);
        int count = pass.Columns.Count;
        int last = pass.Columns[count - 1].FirstUnit + path.Lanes - 1;
        string paired = pass.Columns.Any(c => c.Paired) ? $" (a paired column: z{{column}}{{slot}}{{slot}} holds two slots of a {path.Lanes / 2}-unit group, one per half)" : string.Empty;
        w.Line($"// Units {at.Unit(pass.FirstUnit)}..{at.Unit(last)}: {count} vector column(s); z{{column}}{{slot}} accumulates one slot's pre-activations{paired}.");
        using (w.Braces())
        {
            int[] allSlots = Enumerable.Range(0, cell.Slots.Length).ToArray();
            int image = 0;
            for (int c = 0; c < count; c++)
            {
                VectorColumn column = pass.Columns[c];
                foreach (int s in column.VectorSlots(allSlots))
                {
                    Slot slot = cell.Slots[s];
                    string init;
                    if (projects && slot.InputGate >= 0)
                    {
                        init = v.Load("projected", at.Projected(image));
                        image += path.Lanes;
                    }
                    else
                    {
                        init = BiasInit(v, slot, column, at);
                    }

                    w.Line($"var z{c}{VectorName(cell, column, s)} = {init};");
                }
            }

            int vectors = pass.Columns.Sum(c => c.VectorSlots(allSlots).Length);
            bool split = path.SinglePass && vectors <= 8 && !projects;
            if (split)
            {
                w.Line("// Small kernel, bound by latency: alternate rows go to a second set of sums (…b), halving every chain of");
                w.Line("// dependent multiply-adds.");
                for (int c = 0; c < count; c++)
                {
                    foreach (int s in pass.Columns[c].VectorSlots(allSlots))
                    {
                        w.Line($"var z{c}{VectorName(cell, pass.Columns[c], s)}b = {v.Zero};");
                    }
                }
            }

            string hiddenStart = VectorSyntax.Int(layout.InputSize * width);
            if (!projects)
            {
                w.Line();
                w.Line($"// z += W_ih·x_t: x_k broadcast over row k of the panel's W_ih rows ({width} floats).");
                w.Line("ref float w = ref panelWeights;");
                EmitRows(w, v, cell, pass, "InputSize", layout.InputSize, "input", "k", width, cell.InputSlots, s => cell.Slots[s].InputGate, split);
                w.Line();
                w.Line("// z += W_hh·h_{t-1}: the panel's W_hh rows follow its W_ih rows.");
                EmitRows(w, v, cell, pass, "HiddenSize", layout.HiddenSize, "hiddenIn", "j", width, cell.HiddenSlots, s => cell.Slots[s].HiddenGate, split);
            }
            else
            {
                w.Line();
                w.Line($"// z += W_hh·h_{{t-1}}: h_j broadcast over row j of the panel's W_hh rows ({width} floats), last row first when reversed.");
                w.Line($"ref float hiddenRows = ref U.Add(ref panelWeights, {hiddenStart});");
                w.Line("for (nuint n = 0; n < HiddenSize; n++)");
                using (w.Braces())
                {
                    w.Line("nuint j = reversed ? HiddenSize - 1 - n : n;");
                    w.Line($"ref float w = ref U.Add(ref hiddenRows, j * {width});");
                    w.Line($"var scale = {v.Broadcast("U.Add(ref hiddenIn, j)")};");
                    EmitMultiplyAdds(w, v, cell, pass, cell.HiddenSlots, s => cell.Slots[s].HiddenGate, "w", "scale", string.Empty);
                }
            }

            if (split)
            {
                for (int c = 0; c < count; c++)
                {
                    foreach (int s in pass.Columns[c].VectorSlots(allSlots))
                    {
                        string name = $"z{c}{VectorName(cell, pass.Columns[c], s)}";
                        w.Line($"{name} += {name}b;");
                    }
                }
            }

            EmitUpdate(ctx, path, at, pass);
        }
    }

    /// <summary>The name of the accumulator vector that begins with slot <paramref name="slot"/>: the slot's name, or both names of a pair.</summary>
    public static string VectorName(CellDescriptor cell, VectorColumn column, int slot) =>
        column.Paired ? cell.Slots[slot].Name + cell.Slots[slot + 1].Name : cell.Slots[slot].Name;

    /// <summary>A slot's starting value: the biases that enter it (both where both do); for a paired column, both slots of the pair.</summary>
    public static string BiasInit(VectorSyntax v, Slot slot, VectorColumn column, PanelPosition at)
    {
        if (slot.InputGate >= 0 && slot.HiddenGate >= 0)
        {
            return $"{v.Load("biasIh", at.Column(column.Offset(slot.InputGate)))} + {v.Load("biasHh", at.Column(column.Offset(slot.HiddenGate)))}";
        }

        return slot.InputGate >= 0
            ? v.Load("biasIh", at.Column(column.Offset(slot.InputGate)))
            : v.Load("biasHh", at.Column(column.Offset(slot.HiddenGate)));
    }

    /// <summary>Rows <c>0..count-1</c> from <c>row</c> (advanced by the panel width), scaled by <paramref name="source"/>[index].</summary>
    private static void EmitRows(SourceWriter w, VectorSyntax v, CellDescriptor cell, KernelPass pass, string countName, int count,
        string source, string index, int width, int[] slots, Func<int, int> gateOf, bool split)
    {
        if (split && count >= 2)
        {
            w.Line($"for (nuint {index} = 0; {index} < {count / 2 * 2}; {index} += 2)");
            using (w.Braces())
            {
                w.Line($"var scale = {v.Broadcast($"U.Add(ref {source}, {index})")};");
                w.Line($"var scaleB = {v.Broadcast($"U.Add(ref {source}, {index} + 1)")};");
                EmitMultiplyAdds(w, v, cell, pass, slots, gateOf, "w", "scale", string.Empty);
                EmitMultiplyAdds(w, v, cell, pass, slots, gateOf, "w", "scaleB", "b", width);
                w.Line($"w = ref U.Add(ref w, {2 * width});");
            }

            if (count % 2 == 1)
            {
                w.Line("// The last row of an odd count.");
                using (w.Braces())
                {
                    w.Line($"var scale = {v.Broadcast($"U.Add(ref {source}, {count - 1})")};");
                    EmitMultiplyAdds(w, v, cell, pass, slots, gateOf, "w", "scale", string.Empty);
                    w.Line($"w = ref U.Add(ref w, {width});");
                }
            }

            return;
        }

        w.Line($"for (nuint {index} = 0; {index} < {countName}; {index}++)");
        using (w.Braces())
        {
            w.Line($"var scale = {v.Broadcast($"U.Add(ref {source}, {index})")};");
            EmitMultiplyAdds(w, v, cell, pass, slots, gateOf, "w", "scale", string.Empty);
            w.Line($"w = ref U.Add(ref w, {width});");
        }
    }

    private static void EmitMultiplyAdds(SourceWriter w, VectorSyntax v, CellDescriptor cell, KernelPass pass, int[] slots,
        Func<int, int> gateOf, string row, string scale, string set, int rowOffset = 0)
    {
        for (int c = 0; c < pass.Columns.Count; c++)
        {
            foreach (int s in pass.Columns[c].VectorSlots(slots))
            {
                string acc = $"z{c}{VectorName(cell, pass.Columns[c], s)}{set}";
                int offset = rowOffset + pass.Columns[c].Offset(gateOf(s));
                w.Line($"{acc} = {v.Fma(v.Load(row, offset), scale, acc)};");
            }
        }
    }

    private static void EmitUpdate(KernelContext ctx, PathPlan path, PanelPosition at, KernelPass pass)
    {
        SourceWriter w = ctx.W;
        CellDescriptor cell = ctx.Cell;
        w.Line();
        w.Line(path.UpdateInRegisters
            ? $"// The {cell.DisplayName} update of each vector column, straight from the registers (the update methods inline here)."
            : $"// The {cell.DisplayName} update of each vector column (a separate method: this kernel is too large for the JIT to inline every activation).");
        string state = ctx.HasCell ? "ref hiddenIn, ref hiddenOut, ref cellIn, ref cellOut" : "ref hiddenIn, ref hiddenOut";
        foreach (bool record in new[] { true, false })
        {
            w.Line(record ? $"if (typeof(TTape) == typeof({WithTape}))" : "else");
            using (w.Braces())
            {
                string method = CellMethodName(record, path);
                for (int c = 0; c < pass.Columns.Count; c++)
                {
                    VectorColumn column = pass.Columns[c];
                    string slots = string.Join(", ", column.VectorSlots(Enumerable.Range(0, cell.Slots.Length).ToArray()).Select(s => $"z{c}{VectorName(cell, column, s)}"));
                    string targets = record ? state + ", ref row" : state;
                    w.Line(CellCall(method, column, slots, at, targets));
                }
            }
        }
    }

    public static string CellMethodName(bool record, PathPlan path) => (record ? "CellRecord" : "CellStep") + path.Suffix;

    /// <summary>A call of the cell-update method that fits <paramref name="column"/> (ordinary, shifted or paired).</summary>
    public static string CellCall(string method, VectorColumn column, string vectors, PanelPosition at, string targets) =>
        column.Paired ? $"{method}Paired({vectors}, {at.Unit(column.FirstUnit)}, {at.Column(column.OffsetInPanel)}, {targets});"
        : column.IsShifted ? $"{method}Shifted({vectors}, {at.Unit(column.FirstUnit)}, {at.Column(column.OffsetInPanel)}, {targets});"
        : $"{method}({vectors}, {at.Unit(column.FirstUnit)}, {at.Column(column.OffsetInPanel)}, {column.GateStride}, {targets});";

    /// <summary>
    /// The cell-update methods: one vector column from its slot pre-activations. Inlined into kernels with one pass
    /// body (so the update runs from the registers), called by larger ones. The shifted variant blends its stores
    /// (only the last <c>Lanes − overlap</c> lanes are the column's own).
    /// </summary>
    public static void EmitCellMethods(KernelContext ctx, PathPlan path, bool record)
    {
        if (path.IsScalar)
        {
            return;
        }

        SourceWriter w = ctx.W;
        CellDescriptor cell = ctx.Cell;
        var v = new VectorSyntax(path.Lanes);
        VectorColumn? shifted = path.Passes.SelectMany(p => p.Columns).FirstOrDefault(c => c.IsShifted);
        VectorColumn? paired = path.Passes.SelectMany(p => p.Columns).FirstOrDefault(c => c.Paired);
        if (paired is not null)
        {
            EmitPairedCellMethod(ctx, path, v, record, paired);
        }

        if (path.Passes.All(p => p.Columns.All(c => c.Paired)))
        {
            return;
        }

        foreach (bool isShifted in shifted is null ? new[] { false } : new[] { false, true })
        {
            w.Line();
            w.Line("/// <summary>");
            w.Line($"/// The {cell.DisplayName} update of the {path.Lanes} units from <paramref name=\"unit\"/>, from their slot pre-activations");
            w.Line($"/// ({string.Join(", ", cell.Slots.Select(s => s.Name))}){(record ? "; records the activations in the tape row" : string.Empty)}.");
            if (isShifted)
            {
                w.Line($"/// The shifted last vector: only lanes {shifted!.OverlapLanes}..{path.Lanes - 1} are stored.");
            }

            w.Line("/// </summary>");
            w.Line(path.UpdateInRegisters
                ? "[MethodImpl(MethodImplOptions.AggressiveInlining)]"
                : "[MethodImpl(MethodImplOptions.NoInlining)] // keeps the kernels small; the activations inline here");
            string parameters = (ctx.HasCell ? "ref float hiddenIn, ref float hiddenOut, ref float cellIn, ref float cellOut" : "ref float hiddenIn, ref float hiddenOut")
                + (record ? ", ref float row" : string.Empty);
            string vectors = string.Join(", ", cell.Slots.Select(s => $"{v.Type} {s.Name}Pre"));
            string name = CellMethodName(record, path) + (isShifted ? "Shifted" : string.Empty);
            w.Line(isShifted
                ? $"public static void {name}({vectors}, nuint unit, nuint column, {parameters})"
                : $"public static void {name}({vectors}, nuint unit, nuint column, nuint gateStride, {parameters})");
            using (w.Braces())
            {
                CellRefs refs;
                if (record)
                {
                    TapeRowLayout t = ctx.Tape;
                    if (ctx.HasCell)
                    {
                        w.Line($"ref float tanhCell = ref U.Add(ref row, {t.TanhCell});");
                        refs = new CellRefs("hiddenIn", "hiddenOut", "cellIn", "cellOut", "tanhCell", "row", null);
                    }
                    else
                    {
                        w.Line($"ref float hiddenSide = ref U.Add(ref row, {t.HiddenSideGradient});");
                        refs = new CellRefs("hiddenIn", "hiddenOut", null, null, null, "row", "hiddenSide");
                    }
                }
                else
                {
                    refs = new CellRefs("hiddenIn", "hiddenOut", ctx.HasCell ? "cellIn" : null, ctx.HasCell ? "cellOut" : null, null, null, null);
                }

                string[] slots = cell.Slots.Select(s => $"{s.Name}Pre").ToArray();
                string stride = isShifted ? VectorSyntax.Int(shifted!.GateStride) : "gateStride";
                CellMath.Forward(w, cell, v, slots, "unit", gate => gate == 0 ? "column" : gate == 1 ? $"column + {stride}" : $"column + {gate} * {stride}",
                    isShifted ? shifted!.OverlapLanes : 0, refs);
            }
        }
    }

    private static void EmitPairedCellMethod(KernelContext ctx, PathPlan path, VectorSyntax v, bool record, VectorColumn paired)
    {
        SourceWriter w = ctx.W;
        CellDescriptor cell = ctx.Cell;
        string[] names = cell.Slots.Select(s => s.Name).ToArray();
        w.Line();
        w.Line("/// <summary>");
        w.Line($"/// The {cell.DisplayName} update of the {path.Lanes / 2} units from <paramref name=\"unit\"/> (a paired column), from their slot pre-activations");
        w.Line($"/// two per vector ({string.Join(", ", Enumerable.Range(0, names.Length / 2).Select(k => $"{names[2 * k]} | {names[2 * k + 1]}"))}){(record ? "; records the activations in the tape row" : string.Empty)}.");
        w.Line("/// </summary>");
        w.Line(path.UpdateInRegisters
            ? "[MethodImpl(MethodImplOptions.AggressiveInlining)]"
            : "[MethodImpl(MethodImplOptions.NoInlining)] // keeps the kernels small; the activations inline here");
        string parameters = "ref float hiddenIn, ref float hiddenOut, ref float cellIn, ref float cellOut" + (record ? ", ref float row" : string.Empty);
        string[] vectors = Enumerable.Range(0, names.Length / 2).Select(k => $"{names[2 * k]}{names[2 * k + 1]}Pre").ToArray();
        w.Line($"public static void {CellMethodName(record, path)}Paired({string.Join(", ", vectors.Select(x => $"{v.Type} {x}"))}, nuint unit, nuint column, {parameters})");
        using (w.Braces())
        {
            if (record)
            {
                w.Line($"ref float tanhCell = ref U.Add(ref row, {ctx.Tape.TanhCell});");
            }

            var refs = new CellRefs("hiddenIn", "hiddenOut", "cellIn", "cellOut", record ? "tanhCell" : null, record ? "row" : null, null);
            CellMath.ForwardPaired(w, v, vectors, "unit", gate => gate == 0 ? "column" : $"column + {gate * paired.GateStride}", refs);
        }
    }

    /// <summary>
    /// The input projection of <c>steps</c> consecutive steps, before their recurrence: for every vector column and
    /// W_ih-fed slot, z = b + W_ih·x_s (both biases where the slot has both), stored in the path's register image
    /// (column by column, slot by slot, a vector each), which the recurrent kernel loads as its starting values. It
    /// does not depend on h, so each loaded weight vector serves several steps.
    /// </summary>
    public static void EmitProjection(KernelContext ctx, PathPlan path)
    {
        SourceWriter w = ctx.W;
        CellDescriptor cell = ctx.Cell;
        var v = new VectorSyntax(path.Lanes);
        int stepsAtOnce = path.ProjectionStepsAtOnce;
        int rowFloats = LayerPlanner.ProjectionRowFloats(path, cell);
        w.Line("/// <summary>");
        w.Line("/// The input part of <paramref name=\"steps\"/> steps before their recurrence: for every vector column and W_ih-fed slot,");
        w.Line($"/// b + W_ih·x_s into row s of <paramref name=\"projected\"/> ({rowFloats} floats per step, the layout the recurrent kernel loads).");
        w.Line($"/// {stepsAtOnce} steps at a time share every loaded weight vector.");
        w.Line("/// </summary>");
        ctx.MethodAttributes();
        w.Line($"public static void Project{path.Suffix}(ref float weights, ref float input, int steps, ref float projected)");
        using (w.Braces())
        {
            w.Line("ref float biasIh = ref U.Add(ref weights, BiasIhOffset);");
            w.Line("ref float biasHh = ref U.Add(ref weights, BiasHhOffset);");
            int perColumn = cell.InputSlots.Length * path.Lanes;
            ForEachPass(ctx, path, null, (position, pass, _) =>
                ForEachColumn(w, pass, position, perColumn, "panelWeights", (at, column, image, weights) =>
                    EmitProjectedColumn(ctx, path, v, at, pass, column, image, stepsAtOnce, rowFloats, weights!)));
        }
    }

    private static void EmitProjectedColumn(KernelContext ctx, PathPlan path, VectorSyntax v, PanelPosition at, KernelPass pass, VectorColumn column, int image, int stepsAtOnce, int rowFloats, string weights)
    {
        SourceWriter w = ctx.W;
        CellDescriptor cell = ctx.Cell;
        int width = ctx.Layout.PanelWidth(pass.Panel);
        w.Line();
        w.Line($"// Units {at.Unit(column.FirstUnit)}..{at.Unit(column.FirstUnit + path.Lanes - 1)}.");
        using (w.Braces())
        {
            int[] vectorSlots = column.VectorSlots(cell.InputSlots);
            string Name(int s) => VectorName(cell, column, s);
            foreach (int s in vectorSlots)
            {
                Slot slot = cell.Slots[s];
                string bias = v.Load("biasIh", at.Column(column.Offset(slot.InputGate)));
                if (cell.ProjectionAddsHiddenBias(s))
                {
                    bias += " + " + v.Load("biasHh", at.Column(column.Offset(slot.HiddenGate)));
                }

                w.Line($"var bias{Name(s)} = {bias};");
            }

            w.Line("int s = 0;");
            foreach (int block in stepsAtOnce > 1 ? new[] { stepsAtOnce, 1 } : new[] { 1 })
            {
                w.Line(block > 1 ? $"for (; s + {block} <= steps; s += {block})" : "for (; s < steps; s++)");
                using (w.Braces())
                {
                    for (int t = 0; t < block; t++)
                    {
                        foreach (int s in vectorSlots)
                        {
                            w.Line($"var a{t}{Name(s)} = bias{Name(s)};");
                        }
                    }

                    w.Line("ref float x = ref U.Add(ref input, (nuint)s * InputSize);");
                    w.Line($"ref float w = ref {weights};");
                    w.Line("for (nuint k = 0; k < InputSize; k++)");
                    using (w.Braces())
                    {
                        foreach (int s in vectorSlots)
                        {
                            w.Line($"var w{Name(s)} = {v.Load("w", column.Offset(cell.Slots[s].InputGate))};");
                        }

                        for (int t = 0; t < block; t++)
                        {
                            w.Line($"var x{t} = {v.Broadcast(t == 0 ? "U.Add(ref x, k)" : $"U.Add(ref x, {t} * InputSize + k)")};");
                            foreach (int s in vectorSlots)
                            {
                                string acc = $"a{t}{Name(s)}";
                                w.Line($"{acc} = {v.Fma($"w{Name(s)}", $"x{t}", acc)};");
                            }
                        }

                        w.Line($"w = ref U.Add(ref w, {width});");
                    }

                    for (int t = 0; t < block; t++)
                    {
                        w.Line($"ref float out{t} = ref U.Add(ref projected, (nuint)(s + {t}) * {rowFloats});".Replace("(s + 0)", "s"));
                        for (int i = 0; i < vectorSlots.Length; i++)
                        {
                            w.Line(v.Store($"a{t}{Name(vectorSlots[i])}", $"out{t}", at.Projected(image + i * path.Lanes)));
                        }
                    }
                }
            }
        }
    }
}
