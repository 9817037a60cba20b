using System;
using System.Collections.Generic;
using System.Linq;
using LstmGen.Generator.Cells;

namespace LstmGen.Generator.Planning;

/// <summary>
/// Pure planning of one layer's kernels: the parameter layout, and for each hardware path the vector width and
/// the passes. No Roslyn types: unit-tested directly, and shared by the analyzer, the generator and every
/// attribute (<c>[Lstm]</c>, <c>[Gru]</c>, the layers of <c>[RecurrentModel]</c>).
/// </summary>
internal static class LayerPlanner
{
    /// <summary>Vector accumulators a pass keeps live with 32 vector registers (AVX-512): the rest hold a broadcast and loads.</summary>
    public const int Accumulators32Registers = 16;

    /// <summary>Vector accumulators a pass keeps live with 16 vector registers (AVX2, SSE).</summary>
    public const int Accumulators16Registers = 12;

    /// <summary>Groups per panel: the groups one AVX-512 pass holds (4 slots each, 16 accumulators).</summary>
    public const int GroupsPerPanel = Accumulators32Registers / 4;

    /// <summary>Below this many bytes of weights a step's weights stay in L1 and a step is bound by latency: the sequence loops just run the step kernel.</summary>
    public const int ProjectionMinimumWeightBytes = 32 * 1024;

    public static readonly EquatableArray<Isa> AllPaths = new[] { Isa.Vector512, Isa.Vector256, Isa.Vector128, Isa.Scalar }.ToEquatableArray();

    public static LayerPlan Plan(CellKind cell, int inputSize, int hiddenSize, EquatableArray<Isa> paths, bool aggressiveOptimization, bool skipLocalsInit)
    {
        CellDescriptor descriptor = CellDescriptor.For(cell);
        PanelLayout layout = Layout(descriptor.GateCount, inputSize, hiddenSize);
        var planned = new List<PathPlan>();
        foreach (Isa isa in paths)
        {
            PathPlan path = PlanPath(layout, descriptor, isa);
            foreach (PathPlan earlier in planned)
            {
                // Same vectors, passes and register blocks (scalar loops do not depend on the registers).
                if (earlier.Lanes == path.Lanes && earlier.Passes.Equals(path.Passes) && (path.IsScalar || earlier.AccumulatorBudget == path.AccumulatorBudget))
                {
                    path = path with { SharesKernelWith = earlier.SharesKernelWith ?? earlier.Isa };
                    break;
                }
            }

            planned.Add(path);
        }

        return new LayerPlan(cell, layout, planned.ToEquatableArray(), ProjectionSteps(layout), aggressiveOptimization, skipLocalsInit);
    }

    /// <summary>
    /// The layout's group width: the vector width that covers the hidden units with the fewest vectors (ties: no
    /// narrow last group, then the wider vector). Fewer than 4 units use groups of 4 (the kernels are scalar then).
    /// </summary>
    public static PanelLayout Layout(int gates, int inputSize, int hiddenSize)
    {
        int atom = 4;
        int best = int.MaxValue;
        foreach (int candidate in new[] { 16, 8, 4 })
        {
            if (candidate > hiddenSize)
            {
                continue;
            }

            int groups = (hiddenSize + candidate - 1) / candidate;
            bool better = groups < best || (groups == best && hiddenSize % candidate == 0 && hiddenSize % atom != 0);
            if (better)
            {
                atom = candidate;
                best = groups;
            }
        }

        return new PanelLayout(gates, inputSize, hiddenSize, atom, GroupsPerPanel);
    }

    public static int MaxLanes(Isa isa) => isa switch
    {
        Isa.Vector512 => 16,
        Isa.Vector256 => 8,
        Isa.Vector128 => 4,
        _ => 1,
    };

    public static PathPlan PlanPath(PanelLayout layout, CellDescriptor cell, Isa isa)
    {
        int budget = isa == Isa.Vector512 ? Accumulators32Registers : Accumulators16Registers;
        int lanes = Math.Min(MaxLanes(isa), layout.Atom);
        if (layout.HiddenSize < 4)
        {
            // A vector would be mostly empty, and a shifted vector would start before the first unit.
            lanes = 1;
        }

        if (lanes == 1)
        {
            return new PathPlan(isa, 1, budget, EquatableArray<KernelPass>.Empty, null);
        }

        int slots = cell.Slots.Length;
        int maxColumns = Math.Max(1, budget / slots);
        int atom = layout.Atom;
        int subVectors = atom / lanes;
        var passes = new List<KernelPass>();

        // Every vector column, in unit order, with positions relative to its panel.
        bool pairs = cell.PairsSlots && lanes >= 8;
        int[] allSlots = Enumerable.Range(0, slots).ToArray();
        int Accumulators(IEnumerable<VectorColumn> columns) => columns.Sum(c => c.VectorSlots(allSlots).Length);
        var all = new List<(int Panel, VectorColumn Column)>();
        for (int group = 0; group < layout.Groups; group++)
        {
            foreach (VectorColumn column in GroupColumns(layout, group, lanes, pairs))
            {
                all.Add((group / layout.GroupsPerPanel, column));
            }
        }

        if (Accumulators(all.Select(c => c.Column)) <= Math.Max(budget, slots))
        {
            // Everything in one pass: the cell update runs straight from the registers.
            passes.Add(new KernelPass(0, all.Select(c => c.Column).ToEquatableArray()));
            return new PathPlan(isa, lanes, budget, passes.ToEquatableArray(), null);
        }

        // Identical passes over full groups run as loops: whole groups per pass when they fit, else a divisor of a
        // group's vectors (so a pass never straddles a group's edge or a panel's).
        int groupsPerPass = 1, columnsPerPass, subPasses = 1;
        if (subVectors <= maxColumns)
        {
            for (int g = layout.GroupsPerPanel; g >= 1; g--)
            {
                if (layout.GroupsPerPanel % g == 0 && g * subVectors <= maxColumns)
                {
                    groupsPerPass = g;
                    break;
                }
            }

            columnsPerPass = groupsPerPass * subVectors;
        }
        else
        {
            columnsPerPass = 1;
            for (int k = maxColumns; k >= 1; k--)
            {
                if (subVectors % k == 0)
                {
                    columnsPerPass = k;
                    break;
                }
            }

            subPasses = subVectors / columnsPerPass;
        }

        var template = new List<VectorColumn>();
        for (int j = 0; j < columnsPerPass; j++)
        {
            int jq = j / subVectors, jv = j % subVectors;
            template.Add(new VectorColumn(jq, jq * atom + jv * lanes, 0, jq * layout.Gates * atom + jv * lanes, atom));
        }

        int fullGroups = layout.LastGroupWidth == atom ? layout.Groups : layout.Groups - 1;
        int lastPanel = layout.PanelCount - 1;
        bool lastPanelFull = layout.PanelsUniform;
        int fullPanelGroups = (lastPanelFull ? layout.PanelCount : lastPanel) * layout.GroupsPerPanel;
        AddLoop(passes, template, 0, fullPanelGroups, groupsPerPass, subPasses, columnsPerPass * lanes, inFullPanels: true, panel: 0);

        // The last panel, when it is not full: its full groups (loops, then the groups left over), then the narrow group.
        if (!lastPanelFull)
        {
            int first = fullPanelGroups;
            int count = fullGroups - first;
            int looped = count / groupsPerPass * groupsPerPass;
            AddLoop(passes, template, first, looped, groupsPerPass, subPasses, columnsPerPass * lanes, inFullPanels: false, panel: lastPanel);
            var rest = new List<VectorColumn>();
            for (int group = first + looped; group < layout.Groups; group++)
            {
                rest.AddRange(GroupColumns(layout, group, lanes, pairs));
            }

            // Greedily, as many columns per pass as the accumulator budget holds.
            var current = new List<VectorColumn>();
            foreach (VectorColumn column in rest)
            {
                if (current.Count > 0 && Accumulators(current) + column.VectorSlots(allSlots).Length > Math.Max(budget, slots))
                {
                    passes.Add(new KernelPass(lastPanel, current.ToEquatableArray()));
                    current = new List<VectorColumn>();
                }

                current.Add(column);
            }

            if (current.Count > 0)
            {
                passes.Add(new KernelPass(lastPanel, current.ToEquatableArray()));
            }
        }

        return new PathPlan(isa, lanes, budget, passes.ToEquatableArray(), null);
    }

    private static void AddLoop(List<KernelPass> passes, List<VectorColumn> template, int firstGroup, int groups, int groupsPerPass, int subPasses, int subPassUnits, bool inFullPanels, int panel)
    {
        int count = groups / groupsPerPass * subPasses;
        if (count > 0)
        {
            passes.Add(new KernelPass(panel, template.ToEquatableArray(), new PassLoop(count, firstGroup, groupsPerPass, subPasses, subPassUnits, inFullPanels)));
        }
    }

    /// <summary>
    /// A group's vector columns, positions relative to its panel's rows; the last is shifted when the width needs it,
    /// or, for a group exactly half a vector wide whose cell pairs its slots, paired.
    /// </summary>
    private static IEnumerable<VectorColumn> GroupColumns(PanelLayout layout, int group, int lanes, bool pairs)
    {
        int width = layout.GroupWidth(group);
        int groupStart = group * layout.Atom;
        int groupOffset = (group - layout.FirstGroup(group / layout.GroupsPerPanel)) * layout.Gates * layout.Atom;
        if (pairs && 2 * width == lanes)
        {
            yield return new VectorColumn(group, groupStart, 0, groupOffset, width, Paired: true);
            yield break;
        }

        for (int v = 0; v < width / lanes; v++)
        {
            yield return new VectorColumn(group, groupStart + v * lanes, 0, groupOffset + v * lanes, width);
        }

        if (width % lanes != 0)
        {
            // Shifted back to end at the group's last unit; its first lanes are someone else's.
            yield return new VectorColumn(group, groupStart + width - lanes, lanes - width % lanes, groupOffset + width - lanes, width);
        }
    }

    /// <summary>
    /// The input projection W_ih·x_t + b is computed for a block of steps before their recurrence, so each W_ih
    /// weight loaded serves several steps. A block's projections take up to 64 KiB of stack (4 to 32 steps): W_ih is
    /// read from L2 once per block, so long blocks read it rarely (at (64, 128), 16 steps instead of 4 saved about 50 ns
    /// of a 1,800 ns step), while the projections are written once and read once, in order.
    /// Below 32 KiB of weights the sequence loops run the step kernel (everything stays in L1, and a step is bound by
    /// latency); above H = 1024 even 4 steps of projections would take more than 64 KiB of stack.
    /// </summary>
    public static int ProjectionSteps(PanelLayout layout)
    {
        long weightBytes = (long)layout.ColumnCount * (layout.InputSize + layout.HiddenSize) * sizeof(float);
        // Padding of shifted vectors can make a projected row up to one vector per group wider than G·H.
        long rowBytes = ((long)layout.ColumnCount + (long)layout.Gates * layout.Groups * 16) * sizeof(float);
        if (weightBytes < ProjectionMinimumWeightBytes || 4 * rowBytes > 64 * 1024 || layout.HiddenSize < 4)
        {
            return 0;
        }

        return (int)Math.Max(4, Math.Min(32, 64 * 1024 / rowBytes) / 4 * 4);
    }

    /// <summary>Floats one step's projection takes on a path: every pass's columns × the W_ih-fed slots × lanes.</summary>
    public static int ProjectionRowFloats(PathPlan path, CellDescriptor cell)
    {
        int vectors = 0;
        foreach (KernelPass pass in path.Passes)
        {
            vectors += pass.Columns.Sum(c => c.VectorSlots(cell.InputSlots).Length) * pass.Count;
        }

        return vectors * path.Lanes;
    }
}
