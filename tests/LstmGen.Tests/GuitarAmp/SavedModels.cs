using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using LstmGen.Training;

namespace LstmGen.Tests.GuitarAmp;

// The layers GuitarAmpModelWriter saves in the tests: one LSTM and one GRU per shape of tests/fixtures/agam_writer.
[Lstm(inputSize: 1, hiddenSize: 12, sequenceLength: 64)] public partial class Writer_Lstm_I1_H12 { }
[Gru(inputSize: 2, hiddenSize: 20, sequenceLength: 64)] public partial class Writer_Gru_I2_H20 { }
[Lstm(inputSize: 3, hiddenSize: 5, sequenceLength: 64)] public partial class Writer_Lstm_I3_H5 { }
[Gru(inputSize: 1, hiddenSize: 7, sequenceLength: 64)] public partial class Writer_Gru_I1_H7 { }
[Lstm(inputSize: 2, hiddenSize: 9, sequenceLength: 64)] public partial class Writer_Lstm_I2_H9 { }

/// <summary>
/// A model saved by <see cref="GuitarAmpModelWriter"/> in the tests: a generated layer with PyTorch's initialization
/// from a seed (the same on every SIMD path, so the saved text is too), a <see cref="Linear"/> head and a skip count.
/// </summary>
public sealed class SavedModel
{
    private readonly ILstm? _lstm;
    private readonly IGru? _gru;

    private SavedModel(string file, ILstm? lstm, IGru? gru, int outputSize, int skip, int seed)
    {
        File = file;
        _lstm = lstm;
        _gru = gru;
        lstm?.InitializeParameters(seed);
        gru?.InitializeParameters(seed);
        Head = new Linear(HiddenSize, outputSize);
        Head.InitializeParameters(seed + 1);
        Skip = skip;
    }

    /// <summary>The fixture's file name in tests/fixtures/agam_writer.</summary>
    public string File { get; }

    public Linear Head { get; }

    public int Skip { get; }

    public bool IsLstm => _lstm is not null;

    public int InputSize => _lstm?.InputSize ?? _gru!.InputSize;

    public int HiddenSize => _lstm?.HiddenSize ?? _gru!.HiddenSize;

    public int OutputSize => Head.OutputSize;

    public int Gates => IsLstm ? 4 : 3;

    public override string ToString() => File;

    /// <summary>Every saved model, by file name.</summary>
    public static IReadOnlyDictionary<string, Func<SavedModel>> All { get; } = new Dictionary<string, Func<SavedModel>>(StringComparer.Ordinal)
    {
        ["agamwriter_lstm_i1_h12_skip1.json"] = () => new SavedModel("agamwriter_lstm_i1_h12_skip1.json", new Writer_Lstm_I1_H12(), null, 1, 1, seed: 11),
        ["agamwriter_gru_i2_h20_skip1.json"] = () => new SavedModel("agamwriter_gru_i2_h20_skip1.json", null, new Writer_Gru_I2_H20(), 1, 1, seed: 21),
        ["agamwriter_lstm_i3_h5_o3_skip3.json"] = () => new SavedModel("agamwriter_lstm_i3_h5_o3_skip3.json", new Writer_Lstm_I3_H5(), null, 3, 3, seed: 31),
        ["agamwriter_gru_i1_h7_o2_skip1.json"] = () => new SavedModel("agamwriter_gru_i1_h7_o2_skip1.json", null, new Writer_Gru_I1_H7(), 2, 1, seed: 41),
        ["agamwriter_lstm_i2_h9_skip0.json"] = () => new SavedModel("agamwriter_lstm_i2_h9_skip0.json", new Writer_Lstm_I2_H9(), null, 1, 0, seed: 51),
    };

    public static IEnumerable<object[]> Files() => All.Keys.Order(StringComparer.Ordinal).Select(k => new object[] { k });

    /// <summary>tests/fixtures/agam_writer in the source tree (where the update switch writes).</summary>
    public static string SourceDirectory([CallerFilePath] string callerPath = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(callerPath)!, "..", "..", "fixtures", "agam_writer"));

    /// <summary>The copy of tests/fixtures/agam_writer next to the test assembly.</summary>
    public static string OutputDirectory => Path.Combine(AppContext.BaseDirectory, "fixtures", "agam_writer");

    public string Json() => _lstm is not null ? GuitarAmpModelWriter.ToJson(_lstm, Head, Skip) : GuitarAmpModelWriter.ToJson(_gru!, Head, Skip);

    public void Write(string path)
    {
        if (_lstm is not null)
        {
            GuitarAmpModelWriter.Write(path, _lstm, Head, Skip);
        }
        else
        {
            GuitarAmpModelWriter.Write(path, _gru!, Head, Skip);
        }
    }

    /// <summary>The layer's PyTorch tensors: weight_ih [G·H, I], weight_hh [G·H, H], bias_ih, bias_hh.</summary>
    public (float[] WeightIh, float[] WeightHh, float[] BiasIh, float[] BiasHh) Export()
    {
        int g = Gates * HiddenSize;
        float[] wih = new float[g * InputSize], whh = new float[g * HiddenSize], bih = new float[g], bhh = new float[g];
        if (_lstm is not null)
        {
            _lstm.ExportPyTorch(wih, whh, bih, bhh);
        }
        else
        {
            _gru!.ExportPyTorch(wih, whh, bih, bhh);
        }

        return (wih, whh, bih, bhh);
    }

    /// <summary>
    /// The model in C#, from the zero state: the generated layer's <c>Forward</c> in chunks, the head on every h_t, and
    /// the skip as CoreAudioML's <c>SimpleRNN</c> adds it (<c>x[..., 0:skip]</c>, broadcast when skip = 1).
    /// </summary>
    /// <param name="input">[n, I], time-major.</param>
    /// <returns>[n, O].</returns>
    public float[] Run(float[] input)
    {
        int n = input.Length / InputSize, chunk = _lstm?.SequenceLength ?? _gru!.SequenceLength;
        float[] output = new float[n * OutputSize], states = new float[chunk * HiddenSize], hidden = new float[HiddenSize], cell = new float[HiddenSize];
        for (int start = 0; start < n; start += chunk)
        {
            int steps = Math.Min(chunk, n - start);
            ReadOnlySpan<float> x = input.AsSpan(start * InputSize, steps * InputSize);
            if (_lstm is not null)
            {
                _lstm.Forward(x, states.AsSpan(0, steps * HiddenSize), hidden, cell);
            }
            else
            {
                _gru!.Forward(x, states.AsSpan(0, steps * HiddenSize), hidden);
            }

            for (int t = 0; t < steps; t++)
            {
                Span<float> y = output.AsSpan((start + t) * OutputSize, OutputSize);
                Head.Forward(states.AsSpan(t * HiddenSize, HiddenSize), y);
                for (int o = 0; o < OutputSize && Skip > 0; o++)
                {
                    y[o] += input[(start + t) * InputSize + (Skip == 1 ? 0 : o)];
                }
            }
        }

        return output;
    }
}
