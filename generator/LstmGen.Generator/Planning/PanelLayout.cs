namespace LstmGen.Generator.Planning;

/// <summary>
/// The order of one layer's parameters in memory: weight panels streamed front to back by the step kernel.
/// The same numbers drive the runtime's <c>LstmGen.Kernels.PackedLayout</c> (import, export, initialization), so
/// both sides compute identical offsets.
/// </summary>
/// <remarks>
/// <para>
/// Hidden units form groups of <see cref="Atom"/> consecutive units (the last group may be narrower:
/// <see cref="LastGroupWidth"/>). A group's <em>columns</em> are its units' pre-activations, gate by gate: gate 0 of
/// every unit of the group, then gate 1, and so on. <see cref="GroupsPerPanel"/> consecutive groups form a panel; a
/// panel's columns are its groups' columns in order, <see cref="PanelWidth"/> of them.
/// </para>
/// <para>
/// Memory: for each panel, W_ih's rows restricted to the panel's columns (InputSize rows of PanelWidth floats),
/// then W_hh's rows likewise (HiddenSize rows); after the last panel, b_ih and b_hh, each GateCount·H floats in the
/// same column order. A step therefore reads the whole weight array strictly front to back: one sequential stream,
/// whatever the sizes.
/// </para>
/// </remarks>
/// <param name="Gates">Gates per unit (4 for the LSTM, 3 for the GRU).</param>
/// <param name="InputSize">Rows of W_ih's panels.</param>
/// <param name="HiddenSize">Rows of W_hh's panels; units.</param>
/// <param name="Atom">Units per full group (16, 8 or 4).</param>
/// <param name="GroupsPerPanel">Groups per panel.</param>
internal sealed record PanelLayout(int Gates, int InputSize, int HiddenSize, int Atom, int GroupsPerPanel)
{
    public int Groups => (HiddenSize + Atom - 1) / Atom;

    public int LastGroupWidth => HiddenSize - (Groups - 1) * Atom;

    public int PanelCount => (Groups + GroupsPerPanel - 1) / GroupsPerPanel;

    public int ColumnCount => Gates * HiddenSize;

    public int ParameterCount => ColumnCount * (InputSize + HiddenSize) + 2 * ColumnCount;

    public int BiasIhOffset => ColumnCount * (InputSize + HiddenSize);

    public int BiasHhOffset => BiasIhOffset + ColumnCount;

    public int GroupWidth(int group) => group == Groups - 1 ? LastGroupWidth : Atom;

    public int FirstGroup(int panel) => panel * GroupsPerPanel;

    public int GroupCount(int panel) => System.Math.Min(GroupsPerPanel, Groups - FirstGroup(panel));

    /// <summary>Columns of one panel: its units times the gates.</summary>
    public int PanelWidth(int panel)
    {
        int width = 0;
        for (int q = FirstGroup(panel); q < FirstGroup(panel) + GroupCount(panel); q++)
        {
            width += Gates * GroupWidth(q);
        }

        return width;
    }

    /// <summary>The panel's first column in the packed column order (bias vectors, gradient vectors).</summary>
    public int ColumnStart(int panel) => Gates * FirstGroup(panel) * Atom;

    /// <summary>Where the panel's W_ih rows start in the parameter buffer (its W_hh rows follow them).</summary>
    public int PanelStart(int panel) => ColumnStart(panel) * (InputSize + HiddenSize);

    /// <summary>Where the panel's W_hh rows start.</summary>
    public int HiddenRowsStart(int panel) => PanelStart(panel) + InputSize * PanelWidth(panel);

    public int PanelOf(int unit) => unit / Atom / GroupsPerPanel;

    /// <summary>Column of (gate, unit) inside its panel's rows.</summary>
    public int ColumnInPanel(int gate, int unit)
    {
        int group = unit / Atom;
        int panel = group / GroupsPerPanel;
        return (group - FirstGroup(panel)) * Gates * Atom + gate * GroupWidth(group) + (unit - group * Atom);
    }

    /// <summary>Column of (gate, unit) in the packed order of the whole layer.</summary>
    public int Column(int gate, int unit) => ColumnStart(PanelOf(unit)) + ColumnInPanel(gate, unit);

    /// <summary>True when every panel has the same width (no narrow last group, full last panel).</summary>
    public bool PanelsUniform => LastGroupWidth == Atom && Groups % GroupsPerPanel == 0;
}
