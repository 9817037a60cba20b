using System;
using LstmGen;

namespace LstmGen.Tests;

// One generated model per PyTorch fixture shape (tests/fixtures/lstm_I*_H*_T*.json).
[Lstm(inputSize: 1, hiddenSize: 1, sequenceLength: 4)] public partial class Lstm_I1_H1_T4 { }
[Lstm(inputSize: 3, hiddenSize: 5, sequenceLength: 7)] public partial class Lstm_I3_H5_T7 { }
[Lstm(inputSize: 7, hiddenSize: 33, sequenceLength: 9)] public partial class Lstm_I7_H33_T9 { }
[Lstm(inputSize: 4, hiddenSize: 17, sequenceLength: 6)] public partial class Lstm_I4_H17_T6 { }
[Lstm(inputSize: 2, hiddenSize: 8, sequenceLength: 10)] public partial class Lstm_I2_H8_T10 { }
[Lstm(inputSize: 1, hiddenSize: 8, sequenceLength: 6)] public partial class Lstm_I1_H8_T6 { }
[Lstm(inputSize: 5, hiddenSize: 12, sequenceLength: 5)] public partial class Lstm_I5_H12_T5 { }
[Lstm(inputSize: 6, hiddenSize: 24, sequenceLength: 4)] public partial class Lstm_I6_H24_T4 { }
[Lstm(inputSize: 16, hiddenSize: 64, sequenceLength: 8)] public partial class Lstm_I16_H64_T8 { }
[Lstm(inputSize: 8, hiddenSize: 128, sequenceLength: 5)] public partial class Lstm_I8_H128_T5 { }
[Lstm(inputSize: 3, hiddenSize: 65, sequenceLength: 4)] public partial class Lstm_I3_H65_T4 { }
[Lstm(inputSize: 1, hiddenSize: 40, sequenceLength: 6)] public partial class Lstm_I1_H40_T6 { }
[Lstm(inputSize: 3, hiddenSize: 20, sequenceLength: 5)] public partial class Lstm_I3_H20_T5 { }
[Lstm(inputSize: 16, hiddenSize: 40, sequenceLength: 5)] public partial class Lstm_I16_H40_T5 { }
[Lstm(inputSize: 5, hiddenSize: 72, sequenceLength: 4)] public partial class Lstm_I5_H72_T4 { }
[Lstm(inputSize: 19, hiddenSize: 96, sequenceLength: 24)] public partial class Lstm_I19_H96_T24 { }
[Lstm(inputSize: 9, hiddenSize: 65, sequenceLength: 5)] public partial class Lstm_I9_H65_T5 { }

/// <summary>Creates the generated model for a fixture shape.</summary>
public static class Models
{
    public static ILstm Create(int inputSize, int hiddenSize, int sequenceLength) => (inputSize, hiddenSize, sequenceLength) switch
    {
        (1, 1, 4) => new Lstm_I1_H1_T4(),
        (3, 5, 7) => new Lstm_I3_H5_T7(),
        (7, 33, 9) => new Lstm_I7_H33_T9(),
        (4, 17, 6) => new Lstm_I4_H17_T6(),
        (2, 8, 10) => new Lstm_I2_H8_T10(),
        (1, 8, 6) => new Lstm_I1_H8_T6(),
        (5, 12, 5) => new Lstm_I5_H12_T5(),
        (6, 24, 4) => new Lstm_I6_H24_T4(),
        (16, 64, 8) => new Lstm_I16_H64_T8(),
        (8, 128, 5) => new Lstm_I8_H128_T5(),
        (3, 65, 4) => new Lstm_I3_H65_T4(),
        (1, 40, 6) => new Lstm_I1_H40_T6(),
        (3, 20, 5) => new Lstm_I3_H20_T5(),
        (16, 40, 5) => new Lstm_I16_H40_T5(),
        (5, 72, 4) => new Lstm_I5_H72_T4(),
        (19, 96, 24) => new Lstm_I19_H96_T24(),
        (9, 65, 5) => new Lstm_I9_H65_T5(),
        _ => throw new ArgumentException($"No generated model for I={inputSize}, H={hiddenSize}, T={sequenceLength}."),
    };
}

/// <summary>A tape of 201 rows × 448 floats (≈ 360 KB): more than Backward's 256 KiB stack budget, so it uses the array pool.</summary>
// LSTM005 warns about exactly this on purpose; the test checks the fallback it describes.
#pragma warning disable LSTM005
[Lstm(inputSize: 4, hiddenSize: 64, sequenceLength: 200)] public partial class LongSequenceModel { }

/// <summary>10,000 steps, far beyond the fixtures and one input-projection block; its tape (≈ 2 MB) takes the array pool.</summary>
[Lstm(inputSize: 2, hiddenSize: 8, sequenceLength: 10000)] public partial class TenThousandStepModel { }
#pragma warning restore LSTM005

/// <summary>Above H = 1024 the sequence loops skip the input projection (its block would not fit the stack budget).</summary>
[Lstm(inputSize: 3, hiddenSize: 1040, sequenceLength: 3)] public partial class WideModel { }
