using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using static LstmGen.Tests.FixtureFiles;

namespace LstmGen.Tests.Gru;

/// <summary>One PyTorch <c>nn.GRU</c> reference file written by <c>tests/fixtures/make_gru_fixtures.py</c>.</summary>
public sealed class GruFixture
{
    public required string Name { get; init; }
    public required int InputSize { get; init; }
    public required int HiddenSize { get; init; }
    public required int SequenceLength { get; init; }
    public required float[] WeightIh { get; init; }
    public required float[] WeightHh { get; init; }
    public required float[] BiasIh { get; init; }
    public required float[] BiasHh { get; init; }
    public required IReadOnlyList<GruCase> Cases { get; init; }

    public override string ToString() => Name;

    public IGru CreateModel()
    {
        IGru model = GruModels.Create(InputSize, HiddenSize, SequenceLength);
        model.ImportPyTorch(WeightIh, WeightHh, BiasIh, BiasHh);
        return model;
    }

    public static IReadOnlyList<string> Names { get; } = FixtureFiles.Names("gru_*.json");

    public static IEnumerable<object[]> CaseData() =>
        Names.SelectMany(name => Enumerable.Range(0, Load(name).Cases.Count).Select(c => new object[] { name, c }));

    public static GruFixture Load(string name) => FixtureFiles.Load(name, Parse);

    private static GruFixture Parse(string name, JsonElement root)
    {
        return new GruFixture
        {
            Name = name,
            InputSize = root.GetProperty("input_size").GetInt32(),
            HiddenSize = root.GetProperty("hidden_size").GetInt32(),
            SequenceLength = root.GetProperty("sequence_length").GetInt32(),
            WeightIh = Floats(root, "weight_ih"),
            WeightHh = Floats(root, "weight_hh"),
            BiasIh = Floats(root, "bias_ih"),
            BiasHh = Floats(root, "bias_hh"),
            Cases = root.GetProperty("cases").EnumerateArray().Select(c => new GruCase
            {
                Steps = c.GetProperty("steps").GetInt32(),
                Input = Floats(c, "input"),
                H0 = Floats(c, "h0"),
                Output = Doubles(c, "output"),
                HN = Doubles(c, "h_n"),
                GradOutput = Floats(c, "grad_output"),
                GradHN = Floats(c, "grad_h_n"),
                GradInput = Doubles(c, "grad_input"),
                GradH0 = Doubles(c, "grad_h0"),
                GradWeightIh = Doubles(c, "grad_weight_ih"),
                GradWeightHh = Doubles(c, "grad_weight_hh"),
                GradBiasIh = Doubles(c, "grad_bias_ih"),
                GradBiasHh = Doubles(c, "grad_bias_hh"),
                WrongBiasMaxDiff = c.GetProperty("wrong_bias_max_diff").GetDouble(),
            }).ToArray(),
        };
    }

}

/// <summary>One input sequence with PyTorch's float64 outputs and gradients.</summary>
public sealed class GruCase
{
    public required int Steps { get; init; }
    public required float[] Input { get; init; }
    public required float[] H0 { get; init; }
    public required double[] Output { get; init; }
    public required double[] HN { get; init; }
    public required float[] GradOutput { get; init; }
    public required float[] GradHN { get; init; }
    public required double[] GradInput { get; init; }
    public required double[] GradH0 { get; init; }
    public required double[] GradWeightIh { get; init; }
    public required double[] GradWeightHh { get; init; }
    public required double[] GradBiasIh { get; init; }
    public required double[] GradBiasHh { get; init; }

    /// <summary>How far PyTorch's outputs move when b_hn is (wrongly) added outside r ⊙ (…): the size of the classic port bug.</summary>
    public required double WrongBiasMaxDiff { get; init; }
}
