using System;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Emit.Kernels;

namespace LstmGen.Generator.Emit.Cells;

/// <summary>Where a cell update reads and writes, as ref-variable names in the generated method (null: not used).</summary>
/// <param name="HiddenIn">h_{t-1}, unit order.</param>
/// <param name="HiddenOut">h_t, unit order.</param>
/// <param name="CellIn">c_{t-1} (LSTM).</param>
/// <param name="CellOut">c_t (LSTM); may be the same memory as <paramref name="CellIn"/>.</param>
/// <param name="TanhCell">tanh(c_t), recorded for the backward pass.</param>
/// <param name="Gates">The tape row's gate area (packed column order), when recording.</param>
/// <param name="HiddenSide">The GRU tape row's W_hh-side area (packed column order), when recording.</param>
internal sealed record CellRefs(string HiddenIn, string HiddenOut, string? CellIn, string? CellOut, string? TanhCell, string? Gates, string? HiddenSide)
{
    public bool Records => Gates is not null;
}

/// <summary>
/// The per-cell math, and only that: the forward update of one vector of hidden units from its slots'
/// pre-activations, and the backward pass through it. Everything around it (products, passes, dispatch) is
/// shared machinery in <c>Emit/Kernels</c>.
/// </summary>
internal static class CellMath
{
    /// <summary>
    /// The forward update of one vector column. <paramref name="slots"/> are expressions for the slots'
    /// pre-activations (in <see cref="CellDescriptor.Slots"/> order); <paramref name="unit"/> is the column's first
    /// unit; <paramref name="column"/> gives a gate's packed column (for the tape); only lanes from
    /// <paramref name="overlap"/> on are stored.
    /// </summary>
    public static void Forward(SourceWriter w, CellDescriptor cell, VectorSyntax v, string[] slots, string unit, Func<int, string> column, int overlap, CellRefs refs)
    {
        if (cell.Kind == CellKind.Lstm)
        {
            w.Line("// i, f, o = σ(z); g = tanh(z)");
            w.Line($"var i = {v.Sigmoid(slots[0])};");
            w.Line($"var f = {v.Sigmoid(slots[1])};");
            w.Line($"var g = {v.Tanh(slots[2])};");
            w.Line($"var o = {v.Sigmoid(slots[3])};");
            w.Line("// c' = f ⊙ c + i ⊙ g");
            w.Line($"var c = {v.Fma("f", v.Load(refs.CellIn!, unit), "i * g")};");
            w.Line(v.StoreFrom(overlap, "c", refs.CellOut!, unit));
            w.Line("// h' = o ⊙ tanh(c')");
            w.Line($"var tanhC = {v.Tanh("c")};");
            w.Line(v.StoreFrom(overlap, "o * tanhC", refs.HiddenOut, unit));
            if (refs.Records)
            {
                w.Line("// Recorded for the backward pass: the activated gates and tanh(c').");
                w.Line(v.StoreFrom(overlap, "tanhC", refs.TanhCell!, unit));
                string[] names = { "i", "f", "g", "o" };
                for (int gate = 0; gate < 4; gate++)
                {
                    w.Line(v.StoreFrom(overlap, names[gate], refs.Gates!, column(gate)));
                }
            }

            return;
        }

        w.Line("// r, z = σ(…); n = tanh(n_x + r ⊙ n_h), with n_h = W_hn h + b_hn inside the product");
        w.Line($"var r = {v.Sigmoid(slots[0])};");
        w.Line($"var z = {v.Sigmoid(slots[1])};");
        w.Line($"var n = {v.Tanh(v.Fma("r", slots[3], slots[2]))};");
        w.Line("// h' = (1 − z) ⊙ n + z ⊙ h = n + z ⊙ (h − n)");
        w.Line($"var h = {v.Fma("z", v.Load(refs.HiddenIn, unit) + " - n", "n")};");
        w.Line(v.StoreFrom(overlap, "h", refs.HiddenOut, unit));
        if (refs.Records)
        {
            w.Line("// Recorded for the backward pass: r, z, n, and n_h in the W_hh-side area.");
            w.Line(v.StoreFrom(overlap, "r", refs.Gates!, column(0)));
            w.Line(v.StoreFrom(overlap, "z", refs.Gates!, column(1)));
            w.Line(v.StoreFrom(overlap, "n", refs.Gates!, column(2)));
            w.Line(v.StoreFrom(overlap, slots[3], refs.HiddenSide!, column(2)));
        }
    }

    /// <summary>
    /// The forward update of a paired column (LSTM): a group half a vector wide whose vector <paramref name="vectors"/>[0]
    /// holds z_i | z_f and [1] holds z_g | z_o. σ(x) = ½ + ½·tanh(x/2) gives the same floats as <c>Sigmoid</c>, so one
    /// tanh serves g and o; the state update runs on half vectors.
    /// </summary>
    public static void ForwardPaired(SourceWriter w, VectorSyntax v, string[] vectors, string unit, Func<int, string> column, CellRefs refs)
    {
        var half = new VectorSyntax(v.Lanes / 2);
        string both(string low, string high) => $"{v.Class}.Create({half.Constant(low)}, {half.Constant(high)})";
        w.Line("// i | f = σ(z_i | z_f); g | o = tanh(z_g) | σ(z_o), with σ(x) = ½ + ½·tanh(x/2): one tanh for both halves");
        w.Line($"var iF = {v.Sigmoid(vectors[0])};");
        w.Line($"var scale = {both("1f", "0.5f")};");
        w.Line($"var gO = {v.Fma(v.Tanh($"{vectors[1]} * scale"), "scale", both("0f", "0.5f"))};");
        w.Line($"var i = {v.Class}.GetLower(iF);");
        w.Line($"var f = {v.Class}.GetUpper(iF);");
        w.Line($"var g = {v.Class}.GetLower(gO);");
        w.Line($"var o = {v.Class}.GetUpper(gO);");
        w.Line("// c' = f ⊙ c + i ⊙ g");
        w.Line($"var c = {half.Fma("f", half.Load(refs.CellIn!, unit), "i * g")};");
        w.Line(half.Store("c", refs.CellOut!, unit));
        w.Line("// h' = o ⊙ tanh(c')");
        w.Line($"var tanhC = {half.Tanh("c")};");
        w.Line(half.Store("o * tanhC", refs.HiddenOut, unit));
        if (refs.Records)
        {
            w.Line("// Recorded for the backward pass: the activated gates (i | f, g | o) and tanh(c').");
            w.Line(half.Store("tanhC", refs.TanhCell!, unit));
            w.Line(v.Store("iF", refs.Gates!, column(0)));
            w.Line(v.Store("gO", refs.Gates!, column(2)));
        }
    }

    /// <summary>
    /// The backward pass through one vector column of a step. Reads the tape row (<c>row</c>), the previous row
    /// (<c>previousRow</c>), ∂L/∂y_t (<c>outputGradient</c>), ∂L/∂h_t from step t+1 (<c>hiddenGradient</c>) and,
    /// for the LSTM, ∂L/∂c_t (<c>cellGradient</c>). Writes dz over the gate area(s) and the state gradients that
    /// flow to step t−1 without the recurrent product (LSTM: ∂L/∂c_{t-1} = dc ⊙ f; GRU: the direct term dh ⊙ z of
    /// ∂L/∂h_{t-1}, to which the caller adds W_hhᵀ·dz).
    /// </summary>
    /// <param name="loadsOnly">Emit only the reads and math (the stores follow later, from <see cref="BackwardStores"/>).</param>
    public static void Backward(SourceWriter w, CellDescriptor cell, VectorSyntax v, string unit, Func<int, string> column, bool loadsOnly, string prefix, int overlap)
    {
        string P(string name) => prefix + name;
        string one = v.Constant("1f");
        w.Line($"// dh = ∂L/∂h_t: this step's output gradient plus what flows back from step t+1.");
        w.Line($"var {P("dh")} = {v.Load("outputGradient", unit)} + {v.Load("hiddenGradient", unit)};");
        if (cell.Kind == CellKind.Lstm)
        {
            w.Line($"var {P("i")} = {v.Load("gates", column(0))};");
            w.Line($"var {P("f")} = {v.Load("gates", column(1))};");
            w.Line($"var {P("g")} = {v.Load("gates", column(2))};");
            w.Line($"var {P("o")} = {v.Load("gates", column(3))};");
            w.Line($"var {P("tanhC")} = {v.Load("tanhCell", unit)};");
            w.Line($"var {P("previousC")} = {v.Load("previousCell", unit)};");
            w.Line("// dc = dc_next + dh ⊙ o ⊙ (1 − tanh²(c))");
            w.Line($"var {P("dc")} = {v.Fma($"{P("dh")} * {P("o")}", $"{one} - {P("tanhC")} * {P("tanhC")}", v.Load("cellGradient", unit))};");
            w.Line("// σ' = σ(1 − σ), tanh' = 1 − tanh²:");
            w.Line("// dz_i = dc ⊙ g ⊙ i(1 − i), dz_f = dc ⊙ c_{t-1} ⊙ f(1 − f), dz_g = dc ⊙ i ⊙ (1 − g²), dz_o = dh ⊙ tanh(c) ⊙ o(1 − o)");
            w.Line($"var {P("dzi")} = {P("dc")} * {P("g")} * {P("i")} * ({one} - {P("i")});");
            w.Line($"var {P("dzf")} = {P("dc")} * {P("previousC")} * {P("f")} * ({one} - {P("f")});");
            w.Line($"var {P("dzg")} = {P("dc")} * {P("i")} * ({one} - {P("g")} * {P("g")});");
            w.Line($"var {P("dzo")} = {P("dh")} * {P("tanhC")} * {P("o")} * ({one} - {P("o")});");
            w.Line("// dc_{t-1} = dc ⊙ f");
            w.Line($"var {P("previousDc")} = {P("dc")} * {P("f")};");
        }
        else
        {
            w.Line($"var {P("r")} = {v.Load("gates", column(0))};");
            w.Line($"var {P("z")} = {v.Load("gates", column(1))};");
            w.Line($"var {P("n")} = {v.Load("gates", column(2))};");
            w.Line($"var {P("nh")} = {v.Load("hiddenSide", column(2))};");
            w.Line($"var {P("previousH")} = {v.Load("previousHidden", unit)};");
            w.Line("// h' = n + z ⊙ (h − n): dn = dh ⊙ (1 − z), dz = dh ⊙ (h − n), and dh ⊙ z flows straight to h_{t-1}.");
            w.Line("// Through n = tanh(n_x + r ⊙ n_h): dn_x = dn ⊙ (1 − n²), dn_h = dn_x ⊙ r, dr = dn_x ⊙ n_h.");
            w.Line($"var {P("dnx")} = {P("dh")} * ({one} - {P("z")}) * ({one} - {P("n")} * {P("n")});");
            w.Line($"var {P("dnh")} = {P("dnx")} * {P("r")};");
            w.Line("// Through the sigmoids: dz_r = dr ⊙ r(1 − r), dz_z = dz ⊙ z(1 − z).");
            w.Line($"var {P("dzr")} = {P("dnx")} * {P("nh")} * {P("r")} * ({one} - {P("r")});");
            w.Line($"var {P("dzz")} = {P("dh")} * ({P("previousH")} - {P("n")}) * {P("z")} * ({one} - {P("z")});");
            w.Line($"var {P("direct")} = {P("dh")} * {P("z")};");
        }

        if (!loadsOnly)
        {
            BackwardStores(w, cell, v, unit, column, prefix, overlap);
        }
    }

    /// <summary>The stores of <see cref="Backward"/>: dz over the gate area(s) and the state gradients.</summary>
    public static void BackwardStores(SourceWriter w, CellDescriptor cell, VectorSyntax v, string unit, Func<int, string> column, string prefix, int overlap)
    {
        string P(string name) => prefix + name;
        if (cell.Kind == CellKind.Lstm)
        {
            w.Line(v.StoreFrom(overlap, P("dzi"), "gates", column(0)));
            w.Line(v.StoreFrom(overlap, P("dzf"), "gates", column(1)));
            w.Line(v.StoreFrom(overlap, P("dzg"), "gates", column(2)));
            w.Line(v.StoreFrom(overlap, P("dzo"), "gates", column(3)));
            w.Line(v.StoreFrom(overlap, P("previousDc"), "cellGradient", unit));
            return;
        }

        w.Line("// dz of the W_ih side (r, z, n_x) and of the W_hh side (r, z, n_h).");
        w.Line(v.StoreFrom(overlap, P("dzr"), "gates", column(0)));
        w.Line(v.StoreFrom(overlap, P("dzz"), "gates", column(1)));
        w.Line(v.StoreFrom(overlap, P("dnx"), "gates", column(2)));
        w.Line(v.StoreFrom(overlap, P("dzr"), "hiddenSide", column(0)));
        w.Line(v.StoreFrom(overlap, P("dzz"), "hiddenSide", column(1)));
        w.Line(v.StoreFrom(overlap, P("dnh"), "hiddenSide", column(2)));
        w.Line(v.StoreFrom(overlap, P("direct"), "hiddenGradient", unit));
    }
}
