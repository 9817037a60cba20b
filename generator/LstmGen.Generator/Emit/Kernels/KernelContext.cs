using System.Collections.Generic;
using System.Linq;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emit.Kernels;

/// <summary>What every kernel emitter of one layer shares: the plan, the writer and the method attributes.</summary>
internal sealed class KernelContext
{
    public KernelContext(SourceWriter writer, LayerPlan plan)
    {
        W = writer;
        Plan = plan;
    }

    public SourceWriter W { get; }

    public LayerPlan Plan { get; }

    public PanelLayout Layout => Plan.Layout;

    public CellDescriptor Cell => Plan.Descriptor;

    public TapeRowLayout Tape => Plan.TapeRow;

    public bool HasCell => Cell.HasCellState;

    /// <summary>Writes <c>[GeneratedCode]</c>-free method attributes (the class carries <c>[GeneratedCode]</c>).</summary>
    public void MethodAttributes(string? noInliningReason = null)
    {
        if (noInliningReason is not null)
        {
            W.Line(Plan.AggressiveOptimization
                ? $"[MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // {noInliningReason}"
                : $"[MethodImpl(MethodImplOptions.NoInlining)] // {noInliningReason}");
        }
        else if (Plan.AggressiveOptimization)
        {
            W.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
        }

        if (Plan.SkipLocalsInit)
        {
            W.Line("[SkipLocalsInit]");
        }
    }

    /// <summary>
    /// Full panels (every group full width) are identical up to a translation: when there are at least two,
    /// kernels loop over them. Returns how many leading panels the loop covers (0: no loop).
    /// </summary>
    public int LoopPanels()
    {
        int full = Layout.PanelsUniform ? Layout.PanelCount : Layout.PanelCount - 1;
        return full >= 2 ? full : 0;
    }

    /// <summary>Floats between the starts of two consecutive full panels in the parameter buffer.</summary>
    public int FullPanelStride => Layout.PanelWidth(0) * (Layout.InputSize + Layout.HiddenSize);
}

/// <summary>
/// Where a pass or loop iteration is, as C# source: constants for an explicitly emitted panel, or
/// <c>unit + 16</c>-style expressions inside the loop over full panels.
/// </summary>
internal sealed class PanelPosition
{
    private PanelPosition(string? unitVariable, string? columnVariable, string? projectedVariable, int panel, int unitBase, int columnBase, int projectedBase)
    {
        UnitVariable = unitVariable;
        ColumnVariable = columnVariable;
        ProjectedVariable = projectedVariable;
        Panel = panel;
        UnitBase = unitBase;
        ColumnBase = columnBase;
        ProjectedBase = projectedBase;
    }

    public string? UnitVariable { get; }

    public string? ColumnVariable { get; }

    public string? ProjectedVariable { get; }

    /// <summary>The panel (the first of the loop for loop positions: its geometry stands for all).</summary>
    public int Panel { get; }

    public int UnitBase { get; }

    public int ColumnBase { get; }

    public int ProjectedBase { get; }

    public static PanelPosition Fixed(PanelLayout layout, int panel, int projectedBase)
        => new(null, null, null, panel, 0, layout.ColumnStart(panel), projectedBase);

    public static PanelPosition Loop()
        => new("unit", "column", "image", 0, 0, 0, 0);

    /// <summary>A position held in the named variables (a loop over identical columns).</summary>
    public static PanelPosition Variables(string unit, string column, string image)
        => new(unit, column, image, 0, 0, 0, 0);

    private static string Plus(string? variable, int constant)
    {
        if (variable is null)
        {
            return VectorSyntax.Int(constant);
        }

        return constant == 0 ? variable : constant > 0 ? $"{variable} + {VectorSyntax.Int(constant)}" : $"{variable} - {VectorSyntax.Int(-constant)}";
    }

    /// <summary>A hidden unit index (state vectors are in unit order): <paramref name="unit"/> is relative to panel 0 of the loop.</summary>
    public string Unit(int unit) => Plus(UnitVariable, UnitBase + unit);

    /// <summary>A packed column (bias, gradient and tape gate vectors): <paramref name="offsetInPanel"/> within the panel.</summary>
    public string Column(int offsetInPanel) => Plus(ColumnVariable, ColumnBase + offsetInPanel);

    /// <summary>An offset in a step's projected row (the path's register image).</summary>
    public string Projected(int offset) => Plus(ProjectedVariable, ProjectedBase + offset);
}
