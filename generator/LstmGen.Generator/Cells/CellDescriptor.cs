namespace LstmGen.Generator.Cells;

/// <summary>The recurrent cells LstmGen generates.</summary>
internal enum CellKind
{
    /// <summary>PyTorch <c>nn.LSTM</c>: gates i, f, g, o; hidden and cell state.</summary>
    Lstm,

    /// <summary>PyTorch <c>nn.GRU</c>: gates r, z, n; hidden state only.</summary>
    Gru,
}

/// <summary>
/// What differs between cells, as data: the gates, which accumulator each weight matrix feeds, the state, and the
/// tape row. Everything else (the weight-streaming products, projections, transposed products, gradient
/// accumulation) is shared machinery that reads this description.
/// </summary>
/// <remarks>
/// <para>
/// A hidden-unit group keeps one vector accumulator per <em>slot</em>. Row k of W_ih feeds the slots in
/// <see cref="InputSlots"/>, row j of W_hh those in <see cref="HiddenSlots"/>, in gate order. For the LSTM both
/// matrices feed the same four slots (i, f, g, o), so both biases are summed into them. For the GRU the candidate
/// gate needs its two halves apart, because <c>n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))</c>: W_ih feeds
/// r, z and n_x; W_hh feeds r, z and n_h.
/// </para>
/// <para>
/// The parameter layout's columns are ordered the same way for both matrices (gate by gate inside each
/// group), so gradient vectors of W_ih-side and W_hh-side pre-activations line up with their weight rows.
/// </para>
/// </remarks>
internal sealed class CellDescriptor
{
    public static readonly CellDescriptor Lstm = new(
        CellKind.Lstm,
        attributeName: "Lstm",
        displayName: "LSTM",
        pyTorchModule: "nn.LSTM",
        gates: new[] { "i", "f", "g", "o" },
        slots: new[]
        {
            new Slot("i", InputGate: 0, HiddenGate: 0),
            new Slot("f", InputGate: 1, HiddenGate: 1),
            new Slot("g", InputGate: 2, HiddenGate: 2),
            new Slot("o", InputGate: 3, HiddenGate: 3),
        },
        hasCellState: true);

    public static readonly CellDescriptor Gru = new(
        CellKind.Gru,
        attributeName: "Gru",
        displayName: "GRU",
        pyTorchModule: "nn.GRU",
        gates: new[] { "r", "z", "n" },
        slots: new[]
        {
            new Slot("r", InputGate: 0, HiddenGate: 0),
            new Slot("z", InputGate: 1, HiddenGate: 1),
            new Slot("nx", InputGate: 2, HiddenGate: -1),
            new Slot("nh", InputGate: -1, HiddenGate: 2),
        },
        hasCellState: false);

    private CellDescriptor(CellKind kind, string attributeName, string displayName, string pyTorchModule, string[] gates, Slot[] slots, bool hasCellState)
    {
        Kind = kind;
        AttributeName = attributeName;
        DisplayName = displayName;
        PyTorchModule = pyTorchModule;
        GateNames = gates;
        Slots = slots;
        HasCellState = hasCellState;
        var input = new System.Collections.Generic.List<int>();
        var hidden = new System.Collections.Generic.List<int>();
        for (int s = 0; s < slots.Length; s++)
        {
            if (slots[s].InputGate >= 0)
            {
                input.Add(s);
            }

            if (slots[s].HiddenGate >= 0)
            {
                hidden.Add(s);
            }
        }

        InputSlots = input.ToArray();
        HiddenSlots = hidden.ToArray();
    }

    public static CellDescriptor For(CellKind kind) => kind == CellKind.Lstm ? Lstm : Gru;

    public CellKind Kind { get; }

    /// <summary>The attribute's name without the suffix: <c>Lstm</c>, <c>Gru</c>.</summary>
    public string AttributeName { get; }

    /// <summary><c>LSTM</c>, <c>GRU</c>.</summary>
    public string DisplayName { get; }

    /// <summary><c>nn.LSTM</c>, <c>nn.GRU</c>.</summary>
    public string PyTorchModule { get; }

    /// <summary>PyTorch's gate order: the row blocks of <c>weight_ih_l0</c>, <c>weight_hh_l0</c> and both biases.</summary>
    public string[] GateNames { get; }

    /// <summary>Gates per hidden unit: 4 (LSTM) or 3 (GRU); PyTorch's weight matrices have GateCount·H rows.</summary>
    public int GateCount => GateNames.Length;

    /// <summary>The accumulators of one hidden-unit group, in the order the step kernel keeps them.</summary>
    public Slot[] Slots { get; }

    /// <summary>Indices into <see cref="Slots"/> fed by W_ih (in gate order).</summary>
    public int[] InputSlots { get; }

    /// <summary>Indices into <see cref="Slots"/> fed by W_hh (in gate order).</summary>
    public int[] HiddenSlots { get; }

    /// <summary>Whether the cell carries a cell state c besides h (the LSTM).</summary>
    public bool HasCellState { get; }

    /// <summary>
    /// Whether slots 2k and 2k + 1 can share one vector for a group half a vector wide (a <em>paired</em> column): both
    /// are fed from the same matrices by adjacent gates, so one load covers both. True for the LSTM (i|f, g|o).
    /// </summary>
    public bool PairsSlots => Kind == CellKind.Lstm;

    /// <summary>
    /// Whether the slot's pre-activation includes <c>b_hh</c> where it includes <c>b_ih</c>, so the input
    /// projection may pre-add both: true for every LSTM gate and for the GRU's r and z, not for n.
    /// </summary>
    public bool ProjectionAddsHiddenBias(int slot) => Slots[slot].InputGate >= 0 && Slots[slot].HiddenGate >= 0;

    /// <summary>
    /// The tape row of one step, in floats of H: the gate area(s) in the parameter layout's column order (the
    /// backward pass overwrites them with the pre-activation gradients), then states in unit order.
    /// LSTM: gates i | f | g | o (4H, becomes dz), c (H), tanh(c) (H), h (H).
    /// GRU: r | z | n (3H, becomes dz of the W_ih side), the W_hh-side area (3H: n_h = W_hn h + b_hn in the
    /// n-gate columns; becomes dz of the W_hh side), h (H).
    /// </summary>
    public TapeRowLayout TapeRow(int hiddenSize) => Kind == CellKind.Lstm
        ? new TapeRowLayout(
            Stride: 7 * hiddenSize,
            InputSideGradient: 0,
            HiddenSideGradient: 0,
            Cell: 4 * hiddenSize,
            TanhCell: 5 * hiddenSize,
            Hidden: 6 * hiddenSize)
        : new TapeRowLayout(
            Stride: 7 * hiddenSize,
            InputSideGradient: 0,
            HiddenSideGradient: 3 * hiddenSize,
            Cell: -1,
            TanhCell: -1,
            Hidden: 6 * hiddenSize);
}

/// <summary>One accumulator of a hidden-unit group.</summary>
/// <param name="Name">Its name in generated code: <c>i</c>, <c>f</c>, …, <c>nx</c>, <c>nh</c>.</param>
/// <param name="InputGate">The gate block of W_ih (and b_ih) feeding it, or −1.</param>
/// <param name="HiddenGate">The gate block of W_hh (and b_hh) feeding it, or −1.</param>
internal sealed record Slot(string Name, int InputGate, int HiddenGate);

/// <summary>Offsets inside one tape row (floats from the row's start); −1 where the cell has no such field.</summary>
/// <param name="Stride">Floats per row.</param>
/// <param name="InputSideGradient">The gate area the W_ih side reads (activations forward, dz backward).</param>
/// <param name="HiddenSideGradient">The area holding dz of the W_hh side (the same as the input side for the LSTM).</param>
/// <param name="Cell">c_t (LSTM).</param>
/// <param name="TanhCell">tanh(c_t) (LSTM).</param>
/// <param name="Hidden">h_t.</param>
internal sealed record TapeRowLayout(int Stride, int InputSideGradient, int HiddenSideGradient, int Cell, int TanhCell, int Hidden);
