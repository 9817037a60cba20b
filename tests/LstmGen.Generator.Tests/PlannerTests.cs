using Xunit;

namespace LstmGen.Generator.Tests;

/// <summary>
/// The planner is pure: its decisions are checked without Roslyn, against formulas restated here independently of
/// the generator's code.
/// </summary>
public sealed class PlannerTests
{
    private static readonly CellDescriptor[] Cells = { CellDescriptor.Lstm, CellDescriptor.Gru };

    private static readonly Isa[] Paths = { Isa.Vector512, Isa.Vector256, Isa.Vector128, Isa.Scalar };

    // ---- Layout: the group width ("atom") ----

    /// <summary>
    /// The rule as documented: among 16, 8 and 4 (those not wider than H), the width covering H with the fewest
    /// groups; on a tie the one without a narrow last group, then the wider. Below 4 units: 4 (the kernels are scalar).
    /// </summary>
    private static int ExpectedAtom(int hidden)
    {
        int best = 4;
        int bestGroups = int.MaxValue;
        bool bestNarrow = true;
        foreach (int width in new[] { 4, 8, 16 })
        {
            if (width > hidden)
            {
                continue;
            }

            int groups = (hidden + width - 1) / width;
            bool narrow = hidden % width != 0;
            bool better = groups < bestGroups
                || (groups == bestGroups && bestNarrow && !narrow)
                || (groups == bestGroups && narrow == bestNarrow && width > best);
            if (better)
            {
                (best, bestGroups, bestNarrow) = (width, groups, narrow);
            }
        }

        return best;
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(3, 4)]
    [InlineData(4, 4)]
    [InlineData(7, 4)]   // 4 + a narrow 3: nothing wider fits in 7 units
    [InlineData(8, 8)]
    [InlineData(12, 8)]  // 8 + 4 (2 groups) beats 4 + 4 + 4 (3 groups)
    [InlineData(15, 8)]
    [InlineData(16, 16)]
    [InlineData(17, 16)] // 16 + 1 (2 groups) beats 8 + 8 + 1 (3 groups)
    [InlineData(24, 16)] // 16 + 8 (2 groups) beats 8 + 8 + 8 (3 groups)
    [InlineData(600, 16)]
    public void Layout_chooses_the_group_width_with_the_fewest_groups(int hidden, int atom)
    {
        Assert.Equal(atom, ExpectedAtom(hidden));
        foreach (int gates in new[] { 4, 3 })
        {
            Assert.Equal(atom, LayerPlanner.Layout(gates, 5, hidden).Atom);
        }
    }

    [Fact]
    public void Layout_follows_the_documented_rule_for_every_hidden_size()
    {
        for (int hidden = 1; hidden <= 600; hidden++)
        {
            PanelLayout layout = LayerPlanner.Layout(4, 3, hidden);
            Assert.True(ExpectedAtom(hidden) == layout.Atom, $"H = {hidden}: atom {layout.Atom}, expected {ExpectedAtom(hidden)}");
            Assert.Equal(LayerPlanner.GroupsPerPanel, layout.GroupsPerPanel);
        }
    }

    // ---- PanelLayout: offsets against an enumeration of the packed order ----

    /// <summary>
    /// The layout written out element by element, as its documentation describes it: per panel (GroupsPerPanel
    /// consecutive groups of Atom units, the last group possibly narrower), W_ih's rows then W_hh's rows, each row
    /// holding the panel's columns (per group: gate 0 of each of its units, then gate 1, ...); then b_ih and b_hh in
    /// the same column order. Returns the address of every parameter and the packed column of every (gate, unit).
    /// </summary>
    private sealed class ReferenceLayout
    {
        public ReferenceLayout(int gates, int input, int hidden, int atom, int groupsPerPanel)
        {
            int groups = (hidden + atom - 1) / atom;
            int panels = (groups + groupsPerPanel - 1) / groupsPerPanel;
            Column = new int[gates, hidden];
            WeightIh = new int[gates, hidden, input];
            WeightHh = new int[gates, hidden, hidden];
            BiasIh = new int[gates, hidden];
            BiasHh = new int[gates, hidden];
            int address = 0, column = 0;
            for (int panel = 0; panel < panels; panel++)
            {
                // The panel's columns, in order.
                var columns = new List<(int Gate, int Unit)>();
                for (int group = panel * groupsPerPanel; group < Math.Min(groups, (panel + 1) * groupsPerPanel); group++)
                {
                    for (int gate = 0; gate < gates; gate++)
                    {
                        for (int unit = group * atom; unit < Math.Min(hidden, (group + 1) * atom); unit++)
                        {
                            columns.Add((gate, unit));
                            Column[gate, unit] = column++;
                        }
                    }
                }

                PanelStarts.Add(address);
                ColumnStarts.Add(Column[columns[0].Gate, columns[0].Unit]);
                PanelWidths.Add(columns.Count);
                for (int row = 0; row < input; row++)
                {
                    foreach ((int gate, int unit) in columns)
                    {
                        WeightIh[gate, unit, row] = address++;
                    }
                }

                HiddenRowStarts.Add(address);
                for (int row = 0; row < hidden; row++)
                {
                    foreach ((int gate, int unit) in columns)
                    {
                        WeightHh[gate, unit, row] = address++;
                    }
                }
            }

            BiasIhStart = address;
            for (int c = 0; c < gates * hidden; c++)
            {
                (int gate, int unit) = Find(c);
                BiasIh[gate, unit] = address++;
            }

            BiasHhStart = address;
            for (int c = 0; c < gates * hidden; c++)
            {
                (int gate, int unit) = Find(c);
                BiasHh[gate, unit] = address++;
            }

            Count = address;
        }

        public int[,] Column { get; }

        public int[,,] WeightIh { get; }

        public int[,,] WeightHh { get; }

        public int[,] BiasIh { get; }

        public int[,] BiasHh { get; }

        public List<int> PanelStarts { get; } = new();

        public List<int> HiddenRowStarts { get; } = new();

        public List<int> ColumnStarts { get; } = new();

        public List<int> PanelWidths { get; } = new();

        public int BiasIhStart { get; }

        public int BiasHhStart { get; }

        public int Count { get; }

        private (int Gate, int Unit) Find(int column)
        {
            for (int gate = 0; gate < Column.GetLength(0); gate++)
            {
                for (int unit = 0; unit < Column.GetLength(1); unit++)
                {
                    if (Column[gate, unit] == column)
                    {
                        return (gate, unit);
                    }
                }
            }

            throw new InvalidOperationException($"column {column} not found");
        }
    }

    [Theory]
    // H: a single narrow group (5), atom 8 with a narrow group (12), full groups (64: one full panel), a narrow group
    // (33, 100), several panels (129: the last holds one group of 1 unit; 200; 300: the last panel ends with a group of
    // 12), many full panels (512). I: 1, 3, 16.
    [InlineData(4, 1, 1)]
    [InlineData(4, 3, 5)]
    [InlineData(3, 16, 12)]
    [InlineData(4, 16, 33)]
    [InlineData(3, 3, 64)]
    [InlineData(4, 1, 100)]
    [InlineData(3, 3, 129)]
    [InlineData(4, 3, 200)]
    [InlineData(3, 1, 300)]
    [InlineData(4, 16, 300)]
    [InlineData(4, 1, 512)]
    public void Panel_layout_offsets_match_the_packed_order(int gates, int input, int hidden)
    {
        PanelLayout layout = LayerPlanner.Layout(gates, input, hidden);
        var reference = new ReferenceLayout(gates, input, hidden, layout.Atom, layout.GroupsPerPanel);

        Assert.Equal(gates * hidden * input + gates * hidden * hidden + 2 * gates * hidden, layout.ParameterCount);
        Assert.Equal(reference.Count, layout.ParameterCount);
        Assert.Equal(reference.BiasIhStart, layout.BiasIhOffset);
        Assert.Equal(reference.BiasHhStart, layout.BiasHhOffset);
        Assert.Equal(reference.PanelStarts.Count, layout.PanelCount);
        for (int panel = 0; panel < layout.PanelCount; panel++)
        {
            Assert.Equal(reference.PanelStarts[panel], layout.PanelStart(panel));
            Assert.Equal(reference.HiddenRowStarts[panel], layout.HiddenRowsStart(panel));
            Assert.Equal(reference.ColumnStarts[panel], layout.ColumnStart(panel));
            Assert.Equal(reference.PanelWidths[panel], layout.PanelWidth(panel));
        }

        for (int unit = 0; unit < hidden; unit++)
        {
            int panel = layout.PanelOf(unit);
            for (int gate = 0; gate < gates; gate++)
            {
                Assert.Equal(reference.Column[gate, unit], layout.Column(gate, unit));
                Assert.Equal(reference.Column[gate, unit] - reference.ColumnStarts[panel], layout.ColumnInPanel(gate, unit));
                Assert.Equal(reference.BiasIh[gate, unit], layout.BiasIhOffset + layout.Column(gate, unit));
                Assert.Equal(reference.BiasHh[gate, unit], layout.BiasHhOffset + layout.Column(gate, unit));
                for (int row = 0; row < input; row++)
                {
                    Assert.Equal(reference.WeightIh[gate, unit, row], layout.PanelStart(panel) + row * layout.PanelWidth(panel) + layout.ColumnInPanel(gate, unit));
                }

                for (int row = 0; row < hidden; row++)
                {
                    Assert.Equal(reference.WeightHh[gate, unit, row], layout.HiddenRowsStart(panel) + row * layout.PanelWidth(panel) + layout.ColumnInPanel(gate, unit));
                }
            }
        }

        Assert.Equal(layout.LastGroupWidth == layout.Atom && layout.Groups % layout.GroupsPerPanel == 0, layout.PanelsUniform);
    }

    [Fact]
    public void Panel_layout_of_the_snapshot_configuration()
    {
        // [Lstm(16, 64, 32)]: 4 groups of 16 = one panel of 256 columns; 16 + 64 rows of it, then the biases.
        PanelLayout layout = LayerPlanner.Plan(CellKind.Lstm, 16, 64, LayerPlanner.AllPaths, true, false).Layout;
        Assert.Equal((16, 4, 1, 256), (layout.Atom, layout.Groups, layout.PanelCount, layout.PanelWidth(0)));
        Assert.Equal(4 * 64 * 16 + 4 * 64 * 64 + 8 * 64, layout.ParameterCount);
        Assert.Equal(256 * 16, layout.HiddenRowsStart(0));
        Assert.Equal(256 * 80, layout.BiasIhOffset);
        Assert.Equal(256 * 81, layout.BiasHhOffset);
        Assert.Equal(2 * 16 + 5, layout.Column(2, 5));      // group 0: gates 0 and 1 of its 16 units come first
        Assert.Equal(64 + 3 * 16 + 4, layout.Column(3, 20)); // group 1 starts at column 4·16
    }

    // ---- PlanPath: coverage, register budget, group and panel edges ----

    /// <summary>One vector column of one executed pass, with absolute positions.</summary>
    private readonly record struct PlacedColumn(int Panel, int Group, int FirstUnit, int OverlapLanes, int OffsetInPanel, int GateStride, bool Paired = false);

    /// <summary>Every executed pass of a path (loops expanded, per the <see cref="PassLoop"/> documentation), as absolute columns.</summary>
    private static List<List<PlacedColumn>> Expand(PanelLayout layout, PathPlan path)
    {
        var executed = new List<List<PlacedColumn>>();
        foreach (KernelPass pass in path.Passes)
        {
            if (pass.Loop is not PassLoop loop)
            {
                executed.Add(pass.Columns.Select(c => new PlacedColumn(pass.Panel, c.Group, c.FirstUnit, c.OverlapLanes, c.OffsetInPanel, c.GateStride, c.Paired)).ToList());
                continue;
            }

            Assert.True(loop.GroupsPerPass == 1 || loop.SubPasses == 1, "a loop covers whole groups or parts of one group");
            Assert.True(loop.Count % loop.SubPasses == 0, "a loop covers whole groups");
            for (int iteration = 0; iteration < loop.Count; iteration++)
            {
                int group = loop.FirstGroup + iteration / loop.SubPasses * loop.GroupsPerPass;
                int sub = iteration % loop.SubPasses * loop.SubPassUnits;
                int panel = loop.InFullPanels ? group / layout.GroupsPerPanel : layout.PanelCount - 1;
                if (iteration == 0)
                {
                    Assert.Equal(panel, pass.Panel);
                }

                int offset = (group - layout.FirstGroup(panel)) * layout.Gates * layout.Atom + sub;
                executed.Add(pass.Columns.Select(c => new PlacedColumn(
                    panel, group + c.Group, group * layout.Atom + sub + c.FirstUnit, c.OverlapLanes, offset + c.OffsetInPanel, c.GateStride, c.Paired)).ToList());
            }
        }

        return executed;
    }

    private static void AssertPathCoversEveryUnitOnce(CellDescriptor cell, int hidden, Isa isa)
    {
        PanelLayout layout = LayerPlanner.Layout(cell.GateCount, 7, hidden);
        PathPlan path = LayerPlanner.PlanPath(layout, cell, isa);
        string where = $"{cell.DisplayName} H = {hidden} on {isa}";
        Assert.Equal(isa, path.Isa);
        Assert.Equal(isa == Isa.Vector512 ? 16 : 12, path.AccumulatorBudget);
        if (isa == Isa.Scalar || hidden < 4)
        {
            Assert.True(path.IsScalar, $"{where}: expected scalar loops");
            Assert.Empty(path.Passes);
            return;
        }

        Assert.Equal(Math.Min(LayerPlanner.MaxLanes(isa), layout.Atom), path.Lanes);
        int lanes = path.Lanes;
        var coverage = new int[hidden];
        foreach (List<PlacedColumn> pass in Expand(layout, path))
        {
            Assert.True(pass.Count > 0, $"{where}: an empty pass");
            int accumulators = pass.Sum(c => c.Paired ? cell.Slots.Length / 2 : cell.Slots.Length);
            Assert.True(accumulators <= path.AccumulatorBudget, $"{where}: a pass keeps {accumulators} accumulators, budget {path.AccumulatorBudget}");

            // Never straddles a panel: every column's group belongs to the pass's panel.
            Assert.All(pass, c => Assert.True(c.Group / layout.GroupsPerPanel == c.Panel, $"{where}: group {c.Group} read from panel {c.Panel}"));
            Assert.Single(pass.Select(c => c.Panel).Distinct());

            var unitsOfPass = new HashSet<int>();
            foreach (PlacedColumn column in pass)
            {
                int groupStart = column.Group * layout.Atom;
                int width = layout.GroupWidth(column.Group);
                if (column.Paired)
                {
                    // Half a vector per slot: lane l of the vector that begins with slot 2k is unit FirstUnit + l % half of
                    // gate 2k + l / half; the pair's gates are adjacent in the layout, so one load covers both.
                    int half = lanes / 2;
                    Assert.True(cell.PairsSlots, $"{where}: a paired column for a cell that does not pair its slots");
                    Assert.Equal(half, width);
                    Assert.Equal(groupStart, column.FirstUnit);
                    Assert.Equal(0, column.OverlapLanes);
                    for (int unit = groupStart; unit < groupStart + width; unit++)
                    {
                        coverage[unit]++;
                        unitsOfPass.Add(unit);
                    }

                    for (int first = 0; first < layout.Gates; first += 2)
                    {
                        for (int lane = 0; lane < lanes; lane++)
                        {
                            int gate = first + lane / half, unit = groupStart + lane % half;
                            Assert.True(column.OffsetInPanel + first * column.GateStride + lane == layout.ColumnInPanel(gate, unit),
                                $"{where}: paired lane {lane} of the vector from gate {first} does not read gate {gate} of unit {unit}");
                        }
                    }

                    continue;
                }

                Assert.True(column.FirstUnit >= 0 && column.FirstUnit + lanes <= hidden, $"{where}: a vector at unit {column.FirstUnit} leaves the hidden state");
                Assert.True(column.OverlapLanes >= 0 && column.OverlapLanes < lanes, $"{where}: {column.OverlapLanes} overlap lanes");
                Assert.Equal(width, column.GateStride);
                for (int lane = column.OverlapLanes; lane < lanes; lane++)
                {
                    int unit = column.FirstUnit + lane;
                    Assert.True(unit >= groupStart && unit < groupStart + width, $"{where}: unit {unit} stored by a column of group {column.Group}");
                    coverage[unit]++;
                    unitsOfPass.Add(unit);
                    for (int gate = 0; gate < layout.Gates; gate++)
                    {
                        Assert.True(column.OffsetInPanel + gate * column.GateStride + lane == layout.ColumnInPanel(gate, unit),
                            $"{where}: gate {gate} of unit {unit} read from panel column {column.OffsetInPanel + gate * column.GateStride + lane}, packed at {layout.ColumnInPanel(gate, unit)}");
                    }
                }

                if (column.OverlapLanes > 0)
                {
                    // Shifted back so its last lane is the group's last unit.
                    Assert.Equal(groupStart + width - lanes, column.FirstUnit);
                }
            }

            // Never straddles a group edge: a pass over several groups holds each of them whole.
            int[] groups = unitsOfPass.Select(u => u / layout.Atom).Distinct().ToArray();
            if (groups.Length > 1)
            {
                foreach (int group in groups)
                {
                    int start = group * layout.Atom;
                    Assert.True(Enumerable.Range(start, layout.GroupWidth(group)).All(unitsOfPass.Contains), $"{where}: a pass over groups {string.Join(",", groups)} holds part of group {group}");
                }
            }
        }

        for (int unit = 0; unit < hidden; unit++)
        {
            Assert.True(coverage[unit] == 1, $"{where}: unit {unit} stored {coverage[unit]} times");
        }
    }

    [Fact]
    public void Every_path_stores_every_hidden_unit_exactly_once_within_the_register_budget_for_H_1_to_600()
    {
        foreach (CellDescriptor cell in Cells)
        {
            foreach (Isa isa in Paths)
            {
                for (int hidden = 1; hidden <= 600; hidden++)
                {
                    AssertPathCoversEveryUnitOnce(cell, hidden, isa);
                }
            }
        }
    }

    [Theory]
    // cell, H, path -> lanes, pass entries, passes executed, columns per pass, looped
    [InlineData("Lstm", 64, "Vector512", 16, 1, 1, 4, false)]  // 16 zmm accumulators: all 4·64 pre-activations in registers
    [InlineData("Lstm", 128, "Vector512", 16, 1, 2, 4, true)]  // one full panel per pass, run as a loop of 2
    [InlineData("Lstm", 64, "Vector256", 8, 1, 4, 2, true)]    // 12 ymm accumulators: one group (2 vectors) per pass
    [InlineData("Lstm", 64, "Vector128", 4, 1, 8, 2, true)]    // half a group (2 of its 4 vectors) per pass
    [InlineData("Gru", 64, "Vector512", 16, 1, 1, 4, false)]   // the GRU keeps 4 slots (r, z, n_x, n_h) too
    [InlineData("Lstm", 8, "Vector512", 8, 1, 1, 1, false)]    // too narrow for 16 lanes: 8-lane vectors on AVX-512
    [InlineData("Lstm", 12, "Vector256", 8, 1, 1, 2, false)]   // a group of 8 and a narrow group of 4 (one paired vector: i|f, g|o)
    [InlineData("Lstm", 40, "Vector512", 16, 1, 1, 3, false)]  // 16 + 16 + 8: two columns and a paired one, 10 accumulators
    [InlineData("Gru", 40, "Vector512", 16, 1, 1, 3, false)]   // the GRU does not pair its slots: the last column is shifted
    public void Known_path_plans(string cellName, int hidden, string isaName, int lanes, int entries, int executed, int columnsPerPass, bool looped)
    {
        CellDescriptor cell = CellDescriptor.For(Enum.Parse<CellKind>(cellName));
        PanelLayout layout = LayerPlanner.Layout(cell.GateCount, 4, hidden);
        PathPlan path = LayerPlanner.PlanPath(layout, cell, Enum.Parse<Isa>(isaName));
        Assert.Equal(lanes, path.Lanes);
        Assert.Equal(entries, path.Passes.Count);
        Assert.Equal(executed, path.Passes.Sum(p => p.Count));
        Assert.All(path.Passes, p => Assert.Equal(columnsPerPass, p.Columns.Count));
        Assert.Equal(looped, path.Passes.Any(p => p.Loop is not null));
        Assert.Equal(executed == 1, path.SinglePass);
    }

    [Fact]
    public void Exactly_the_LSTM_groups_half_a_vector_wide_are_paired()
    {
        foreach (CellDescriptor cell in Cells)
        {
            foreach (Isa isa in Paths)
            {
                for (int hidden = 4; hidden <= 200; hidden++)
                {
                    PanelLayout layout = LayerPlanner.Layout(cell.GateCount, 3, hidden);
                    PathPlan path = LayerPlanner.PlanPath(layout, cell, isa);
                    foreach (VectorColumn column in path.Passes.SelectMany(p => p.Columns))
                    {
                        int width = layout.GroupWidth(column.Group);
                        bool expected = cell.PairsSlots && path.Lanes >= 8 && 2 * width == path.Lanes;
                        Assert.True(expected == column.Paired, $"{cell.DisplayName} H = {hidden} on {isa}: group {column.Group} ({width} units, {path.Lanes} lanes) paired = {column.Paired}");
                    }
                }
            }
        }
    }

    [Fact]
    public void A_path_shares_the_kernels_of_an_earlier_path_with_the_same_lanes_passes_and_registers()
    {
        foreach (CellKind kind in new[] { CellKind.Lstm, CellKind.Gru })
        {
            foreach (int hidden in new[] { 1, 3, 4, 8, 12, 16, 64, 65, 200 })
            {
                LayerPlan plan = LayerPlanner.Plan(kind, 5, hidden, LayerPlanner.AllPaths, true, false);
                Assert.Equal(LayerPlanner.AllPaths, plan.Paths.Select(p => p.Isa));
                for (int i = 0; i < plan.Paths.Count; i++)
                {
                    PathPlan path = plan.Paths[i];
                    // Sharing needs the same vectors and passes, and the same register blocks unless the loops are scalar.
                    PathPlan? twin = plan.Paths.Take(i).FirstOrDefault(p => p.Lanes == path.Lanes && p.Passes.Equals(path.Passes)
                        && (path.IsScalar || p.AccumulatorBudget == path.AccumulatorBudget));
                    Assert.Equal(twin is null ? null : twin.SharesKernelWith ?? twin.Isa, path.SharesKernelWith);
                }
            }
        }

        // H < 4: every path runs the scalar loops, so all share the widest path's kernels.
        LayerPlan tiny = LayerPlanner.Plan(CellKind.Gru, 3, 3, LayerPlanner.AllPaths, true, false);
        Assert.Equal(new Isa?[] { null, Isa.Vector512, Isa.Vector512, Isa.Vector512 }, tiny.Paths.Select(p => p.SharesKernelWith));
    }

    [Fact]
    public void The_kept_instruction_sets_are_the_planned_paths()
    {
        LayerPlan plan = LayerPlanner.Plan(CellKind.Lstm, 4, 64, Rules.ParseInstructionSets("Scalar; avx512"), true, false);
        Assert.Equal(new[] { Isa.Vector512, Isa.Scalar }, plan.Paths.Select(p => p.Isa));
        Assert.Equal("Lstm_I4_H64", plan.KernelClassName);
        Assert.Equal("Gru_I4_H64", LayerPlanner.Plan(CellKind.Gru, 4, 64, LayerPlanner.AllPaths, true, false).KernelClassName);
    }

    [Theory]
    [InlineData(null, new[] { "Vector512", "Vector256", "Vector128", "Scalar" })]
    [InlineData("", new[] { "Vector512", "Vector256", "Vector128", "Scalar" })]
    [InlineData("  ", new[] { "Vector512", "Vector256", "Vector128", "Scalar" })]
    [InlineData("Avx512;Scalar", new[] { "Vector512", "Scalar" })]
    [InlineData("scalar,AVX2", new[] { "Vector256", "Scalar" })]
    [InlineData("Vector128;", new[] { "Vector128" })]
    [InlineData("Avx3", new string[0])]
    [InlineData("Avx512;Sse", new string[0])]
    [InlineData(";", new string[0])]
    public void Instruction_sets_parse_to_the_kept_paths_widest_first(string? value, string[] expected) =>
        Assert.Equal(expected, Rules.ParseInstructionSets(value).Select(isa => isa.ToString()));

    [Fact]
    public void Projection_blocks_are_used_only_above_32_KiB_of_weights_and_hold_4_to_32_steps()
    {
        foreach (CellDescriptor cell in Cells)
        {
            foreach (int input in new[] { 1, 16, 300 })
            {
                for (int hidden = 1; hidden <= 1100; hidden += 7)
                {
                    PanelLayout layout = LayerPlanner.Layout(cell.GateCount, input, hidden);
                    int steps = LayerPlanner.ProjectionSteps(layout);
                    long weightBytes = 4L * cell.GateCount * hidden * (input + hidden);
                    if (weightBytes < LayerPlanner.ProjectionMinimumWeightBytes)
                    {
                        Assert.Equal(0, steps);
                    }

                    if (steps != 0)
                    {
                        Assert.True(steps is >= 4 and <= 32 && steps % 4 == 0, $"{cell.DisplayName} I = {input}, H = {hidden}: {steps} steps");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(false, 1, 8, false, true)]      // the AVX-512 path runs 8-lane vectors at H = 8: the side-by-side walk
    [InlineData(false, 1, 40, true, true)]      // H % 16 = 8: 8-row blocks instead of 8 one-row dot products
    [InlineData(false, 16, 64, false, true)]    // W_hh 64 KiB, about L1
    [InlineData(true, 16, 64, false, true)]     // W_hh 48 KiB
    [InlineData(false, 19, 96, true, false)]    // W_hh 144 KiB, from L2: rows in order both ways
    [InlineData(false, 64, 128, true, false)]   // 256 KiB
    [InlineData(true, 64, 128, true, false)]    // 192 KiB
    [InlineData(false, 32, 256, true, true)]    // 1 MiB, beyond L2: alternating reuses what L2 kept
    public void How_W_hh_is_read_follows_where_it_lives(bool gru, int input, int hidden, bool backwardInRowOrder, bool forwardAlternates)
    {
        LayerPlan plan = LayerPlanner.Plan(gru ? CellKind.Gru : CellKind.Lstm, input, hidden, LayerPlanner.AllPaths, true, false);
        PathPlan avx512 = plan.Paths.Single(p => p.Isa == Isa.Vector512);
        Assert.Equal(backwardInRowOrder, plan.ReadsHiddenRowsInOrder(avx512));
        Assert.Equal(forwardAlternates, plan.AlternatesRecurrentRows);
        // The narrower paths keep the side-by-side walk: 16 registers, or no 8-row shuffle tree.
        Assert.All(plan.Paths.Where(p => p.Isa != Isa.Vector512), p => Assert.False(plan.ReadsHiddenRowsInOrder(p)));
    }
}
