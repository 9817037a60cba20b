using System;

namespace LstmGen.Kernels;

/// <summary>
/// The parameter layout of one generated recurrent layer (LSTM or GRU), and the conversions between it and
/// PyTorch's tensors. Generated code creates one per type from the generator's plan; the numbers are the same
/// ones the kernels are specialized for.
/// </summary>
/// <remarks>
/// <para>
/// The hidden units form groups of <see cref="Atom"/> consecutive units (the last group may be narrower). A
/// group's <em>columns</em> are its units' gate pre-activations, gate by gate (all of gate 0, then gate 1, …), and
/// <see cref="GroupsPerPanel"/> consecutive groups form a <em>panel</em>. Memory holds, panel after panel, the
/// rows of W_ih restricted to the panel's columns (<see cref="InputSize"/> rows), then those of W_hh
/// (<see cref="HiddenSize"/> rows); then b_ih and b_hh, each in the same column order. A time step therefore reads
/// the weights strictly front to back.
/// </para>
/// <para>
/// PyTorch's <c>weight_ih_l0[g·H + u, k]</c> (gate g, unit u, input k) is at
/// <c>PanelStart(p) + k·PanelWidth(p) + ColumnInPanel(g, u)</c>, where p is u's panel.
/// </para>
/// </remarks>
public sealed class PackedLayout
{
    /// <summary>Creates a layout description.</summary>
    /// <param name="gates">Gates per unit: 4 (LSTM: i, f, g, o) or 3 (GRU: r, z, n).</param>
    /// <param name="inputSize">Input features.</param>
    /// <param name="hiddenSize">Hidden units.</param>
    /// <param name="atom">Units per full group.</param>
    /// <param name="groupsPerPanel">Groups per panel.</param>
    public PackedLayout(int gates, int inputSize, int hiddenSize, int atom, int groupsPerPanel)
    {
        if (gates is not (3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(gates), gates, "A recurrent layer has 3 (GRU) or 4 (LSTM) gates.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(atom, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(groupsPerPanel, 1);
        long count = (long)gates * hiddenSize * (inputSize + hiddenSize + 2);
        if (count > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, $"A layer with I = {inputSize} and H = {hiddenSize} has {count} parameters, more than one span can hold.");
        }

        Gates = gates;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Atom = atom;
        GroupsPerPanel = groupsPerPanel;
        ParameterCount = (int)count;
    }

    /// <summary>Gates per unit.</summary>
    public int Gates { get; }

    /// <summary>Input features (rows of each panel's W_ih part).</summary>
    public int InputSize { get; }

    /// <summary>Hidden units (rows of each panel's W_hh part).</summary>
    public int HiddenSize { get; }

    /// <summary>Units per full group.</summary>
    public int Atom { get; }

    /// <summary>Groups per panel.</summary>
    public int GroupsPerPanel { get; }

    /// <summary>All parameters: <c>Gates·H·(I + H) + 2·Gates·H</c>.</summary>
    public int ParameterCount { get; }

    /// <summary>Gate pre-activations per step: <c>Gates·H</c>, the length of each bias.</summary>
    public int ColumnCount => Gates * HiddenSize;

    /// <summary>Where b_ih starts (b_hh follows it).</summary>
    public int BiasIhOffset => ColumnCount * (InputSize + HiddenSize);

    private int Groups => (HiddenSize + Atom - 1) / Atom;

    private int GroupWidth(int group) => group == Groups - 1 ? HiddenSize - (Groups - 1) * Atom : Atom;

    private int PanelWidth(int panel)
    {
        int first = panel * GroupsPerPanel;
        int last = Math.Min(Groups, first + GroupsPerPanel);
        int units = Math.Min(HiddenSize, last * Atom) - first * Atom;
        return Gates * units;
    }

    /// <summary>The position of (gate, unit) in the packed column order (biases, gradient vectors).</summary>
    /// <param name="gate">The gate, in PyTorch's order.</param>
    /// <param name="unit">The hidden unit.</param>
    /// <returns>The column.</returns>
    public int Column(int gate, int unit)
    {
        int group = unit / Atom;
        return group * Gates * Atom + gate * GroupWidth(group) + (unit - group * Atom);
    }

    /// <summary>Where W_ih's row <paramref name="input"/> (restricted to unit's panel) holds (gate, unit).</summary>
    private int WeightIh(int gate, int unit, int input)
    {
        int panel = unit / Atom / GroupsPerPanel;
        int columnStart = Gates * panel * GroupsPerPanel * Atom;
        int width = PanelWidth(panel);
        return columnStart * (InputSize + HiddenSize) + input * width + (Column(gate, unit) - columnStart);
    }

    /// <summary>Where W_hh's row <paramref name="hidden"/> holds (gate, unit).</summary>
    private int WeightHh(int gate, int unit, int hidden) => WeightIh(gate, unit, InputSize + hidden);

    /// <summary>
    /// Copies PyTorch tensors (<c>weight_ih_l0 [Gates·H, I]</c>, <c>weight_hh_l0 [Gates·H, H]</c>, <c>bias_ih_l0</c>,
    /// <c>bias_hh_l0</c>, row-major) into <paramref name="parameters"/>.
    /// </summary>
    /// <param name="parameters">The layer's parameters (<see cref="ParameterCount"/> floats).</param>
    /// <param name="weightIh">weight_ih_l0.</param>
    /// <param name="weightHh">weight_hh_l0.</param>
    /// <param name="biasIh">bias_ih_l0.</param>
    /// <param name="biasHh">bias_hh_l0.</param>
    /// <exception cref="ArgumentException">A length is wrong (the message names the argument and both lengths), or a source overlaps the parameters.</exception>
    public void Import(Span<float> parameters, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh)
    {
        Validate(parameters.Length, weightIh.Length, weightHh.Length, biasIh.Length, biasHh.Length);
        LstmThrow.IfOverlapping(nameof(weightIh), weightIh, "Parameters", parameters);
        LstmThrow.IfOverlapping(nameof(weightHh), weightHh, "Parameters", parameters);
        LstmThrow.IfOverlapping(nameof(biasIh), biasIh, "Parameters", parameters);
        LstmThrow.IfOverlapping(nameof(biasHh), biasHh, "Parameters", parameters);
        int h = HiddenSize;
        for (int gate = 0; gate < Gates; gate++)
        {
            for (int unit = 0; unit < h; unit++)
            {
                int row = gate * h + unit;
                for (int k = 0; k < InputSize; k++)
                {
                    parameters[WeightIh(gate, unit, k)] = weightIh[row * InputSize + k];
                }

                for (int j = 0; j < h; j++)
                {
                    parameters[WeightHh(gate, unit, j)] = weightHh[row * h + j];
                }

                int column = Column(gate, unit);
                parameters[BiasIhOffset + column] = biasIh[row];
                parameters[BiasIhOffset + ColumnCount + column] = biasHh[row];
            }
        }
    }

    /// <summary>The exact inverse of <see cref="Import"/>: writes PyTorch's four tensors from <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The layer's parameters (or gradients, which share the layout).</param>
    /// <param name="weightIh">Receives weight_ih_l0.</param>
    /// <param name="weightHh">Receives weight_hh_l0.</param>
    /// <param name="biasIh">Receives bias_ih_l0.</param>
    /// <param name="biasHh">Receives bias_hh_l0.</param>
    /// <exception cref="ArgumentException">A length is wrong, or destinations overlap each other or the source.</exception>
    public void Export(ReadOnlySpan<float> parameters, Span<float> weightIh, Span<float> weightHh, Span<float> biasIh, Span<float> biasHh)
    {
        Validate(parameters.Length, weightIh.Length, weightHh.Length, biasIh.Length, biasHh.Length);
        LstmThrow.IfOverlapping(nameof(weightIh), weightIh, nameof(weightHh), weightHh);
        LstmThrow.IfOverlapping(nameof(weightIh), weightIh, nameof(biasIh), biasIh);
        LstmThrow.IfOverlapping(nameof(weightIh), weightIh, nameof(biasHh), biasHh);
        LstmThrow.IfOverlapping(nameof(weightHh), weightHh, nameof(biasIh), biasIh);
        LstmThrow.IfOverlapping(nameof(weightHh), weightHh, nameof(biasHh), biasHh);
        LstmThrow.IfOverlapping(nameof(biasIh), biasIh, nameof(biasHh), biasHh);
        LstmThrow.IfOverlapping(nameof(weightIh), weightIh, "the model's own buffer", parameters);
        LstmThrow.IfOverlapping(nameof(weightHh), weightHh, "the model's own buffer", parameters);
        LstmThrow.IfOverlapping(nameof(biasIh), biasIh, "the model's own buffer", parameters);
        LstmThrow.IfOverlapping(nameof(biasHh), biasHh, "the model's own buffer", parameters);
        int h = HiddenSize;
        for (int gate = 0; gate < Gates; gate++)
        {
            for (int unit = 0; unit < h; unit++)
            {
                int row = gate * h + unit;
                for (int k = 0; k < InputSize; k++)
                {
                    weightIh[row * InputSize + k] = parameters[WeightIh(gate, unit, k)];
                }

                for (int j = 0; j < h; j++)
                {
                    weightHh[row * h + j] = parameters[WeightHh(gate, unit, j)];
                }

                int column = Column(gate, unit);
                biasIh[row] = parameters[BiasIhOffset + column];
                biasHh[row] = parameters[BiasIhOffset + ColumnCount + column];
            }
        }
    }

    /// <summary>
    /// PyTorch's default initialization (uniform in ±1/√H), drawn in PyTorch tensor order (weight_ih row-major,
    /// weight_hh, bias_ih, bias_hh) so the values do not depend on the internal layout. Allocates one temporary
    /// array (initialization is not a hot path).
    /// </summary>
    /// <param name="parameters">The layer's parameters.</param>
    /// <param name="seed">Any value; the same seed gives the same parameters on every machine.</param>
    public void InitializeUniform(Span<float> parameters, int seed)
    {
        float[] values = new float[ParameterCount];
        ParameterInitializer.UniformPyTorch(values, HiddenSize, seed);
        int wih = ColumnCount * InputSize, whh = ColumnCount * HiddenSize;
        Import(parameters, values.AsSpan(0, wih), values.AsSpan(wih, whh), values.AsSpan(wih + whh, ColumnCount), values.AsSpan(wih + whh + ColumnCount, ColumnCount));
    }

    private void Validate(int parameters, int weightIh, int weightHh, int biasIh, int biasHh)
    {
        int rows = ColumnCount;
        string g = Gates == 4 ? "4·HiddenSize" : "3·HiddenSize";
        LstmThrow.IfLengthIsNot(nameof(parameters), parameters, ParameterCount, $"{Gates}·H·I + {Gates}·H·H + {2 * Gates}·H");
        LstmThrow.IfLengthIsNot(nameof(weightIh), weightIh, rows * InputSize, $"weight_ih_l0 is [{g}, InputSize] = [{rows}, {InputSize}]");
        LstmThrow.IfLengthIsNot(nameof(weightHh), weightHh, rows * HiddenSize, $"weight_hh_l0 is [{g}, HiddenSize] = [{rows}, {HiddenSize}]");
        LstmThrow.IfLengthIsNot(nameof(biasIh), biasIh, rows, $"bias_ih_l0 is [{g}] = [{rows}]");
        LstmThrow.IfLengthIsNot(nameof(biasHh), biasHh, rows, $"bias_hh_l0 is [{g}] = [{rows}]");
    }
}
