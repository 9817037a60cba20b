using LstmGen;

namespace GuitarAmp;

// The LSTMs the sample can train: one input (the audio sample), H hidden units, chunks of 512 samples for truncated
// backpropagation through time. Trained through the tape API (ForwardBatch with a tape + BackwardBatchFromTape), which
// never uses the stack-based Backward that LSTM005 warns about for chunks this long.
#pragma warning disable LSTM005

/// <summary>LSTM(1 → 16) over chunks of 512 samples.</summary>
[Lstm(inputSize: 1, hiddenSize: 16, sequenceLength: 512)]
public sealed partial class AmpLstm16 { }

/// <summary>LSTM(1 → 24) over chunks of 512 samples.</summary>
[Lstm(inputSize: 1, hiddenSize: 24, sequenceLength: 512)]
public sealed partial class AmpLstm24 { }

/// <summary>LSTM(1 → 32) over chunks of 512 samples.</summary>
[Lstm(inputSize: 1, hiddenSize: 32, sequenceLength: 512)]
public sealed partial class AmpLstm32 { }

#pragma warning restore LSTM005

/// <summary>Creates the LSTM of a hidden size.</summary>
public static class AmpModels
{
    /// <summary>The hidden sizes there is a generated class for.</summary>
    public static IReadOnlyList<int> HiddenSizes { get; } = [16, 24, 32];

    /// <summary>A new, uninitialized LSTM(1 → <paramref name="hiddenSize"/>).</summary>
    /// <param name="hiddenSize">16, 24 or 32.</param>
    /// <returns>The LSTM.</returns>
    /// <exception cref="ArgumentException">No class has that size.</exception>
    public static ILstm Create(int hiddenSize) => hiddenSize switch
    {
        16 => new AmpLstm16(),
        24 => new AmpLstm24(),
        32 => new AmpLstm32(),
        _ => throw new ArgumentException($"'{nameof(hiddenSize)}' must be one of {string.Join(", ", HiddenSizes)}, but it is {hiddenSize}.", nameof(hiddenSize)),
    };
}
