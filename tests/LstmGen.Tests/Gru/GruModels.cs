using LstmGen;

namespace LstmGen.Tests.Gru;

// One generated model per PyTorch GRU fixture shape (tests/fixtures/gru_I*_H*_T*.json).
[Gru(inputSize: 1, hiddenSize: 1, sequenceLength: 4)] public partial class Gru_I1_H1_T4 { }
[Gru(inputSize: 3, hiddenSize: 5, sequenceLength: 7)] public partial class Gru_I3_H5_T7 { }
[Gru(inputSize: 7, hiddenSize: 33, sequenceLength: 9)] public partial class Gru_I7_H33_T9 { }
[Gru(inputSize: 4, hiddenSize: 17, sequenceLength: 6)] public partial class Gru_I4_H17_T6 { }
[Gru(inputSize: 2, hiddenSize: 8, sequenceLength: 10)] public partial class Gru_I2_H8_T10 { }
[Gru(inputSize: 20, hiddenSize: 12, sequenceLength: 5)] public partial class Gru_I20_H12_T5 { }
[Gru(inputSize: 2, hiddenSize: 40, sequenceLength: 6)] public partial class Gru_I2_H40_T6 { }
[Gru(inputSize: 16, hiddenSize: 64, sequenceLength: 8)] public partial class Gru_I16_H64_T8 { }
[Gru(inputSize: 8, hiddenSize: 128, sequenceLength: 5)] public partial class Gru_I8_H128_T5 { }
[Gru(inputSize: 5, hiddenSize: 96, sequenceLength: 4)] public partial class Gru_I5_H96_T4 { }
[Gru(inputSize: 2, hiddenSize: 129, sequenceLength: 3)] public partial class Gru_I2_H129_T3 { }
[Gru(inputSize: 18, hiddenSize: 100, sequenceLength: 21)] public partial class Gru_I18_H100_T21 { }

/// <summary>Creates the generated GRU for a fixture shape.</summary>
public static class GruModels
{
    public static IGru Create(int inputSize, int hiddenSize, int sequenceLength) => (inputSize, hiddenSize, sequenceLength) switch
    {
        (1, 1, 4) => new Gru_I1_H1_T4(),
        (3, 5, 7) => new Gru_I3_H5_T7(),
        (7, 33, 9) => new Gru_I7_H33_T9(),
        (4, 17, 6) => new Gru_I4_H17_T6(),
        (2, 8, 10) => new Gru_I2_H8_T10(),
        (20, 12, 5) => new Gru_I20_H12_T5(),
        (2, 40, 6) => new Gru_I2_H40_T6(),
        (16, 64, 8) => new Gru_I16_H64_T8(),
        (8, 128, 5) => new Gru_I8_H128_T5(),
        (5, 96, 4) => new Gru_I5_H96_T4(),
        (2, 129, 3) => new Gru_I2_H129_T3(),
        (18, 100, 21) => new Gru_I18_H100_T21(),
        _ => throw new System.ArgumentException($"No generated GRU for I={inputSize}, H={hiddenSize}, T={sequenceLength}."),
    };
}
