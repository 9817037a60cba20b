using System;

namespace LstmGen;

/// <summary>
/// The API every <c>[RecurrentModel]</c> class implements, for code that handles several compiled models through one
/// type. Call the class's own members in hot code: they are the same methods without interface dispatch.
/// </summary>
public interface IRecurrentModel
{
    /// <summary>Features per sample.</summary>
    int InputSize { get; }

    /// <summary>Outputs per sample.</summary>
    int OutputSize { get; }

    /// <summary>Floats of state (every recurrent layer's h, and c for LSTM layers).</summary>
    int StateLength { get; }

    /// <summary>Trainable values in the model file.</summary>
    int ParameterCount { get; }

    /// <summary>Runs <c>input.Length / InputSize</c> samples through the model, using and updating the instance's state.</summary>
    /// <param name="input">Time-major samples.</param>
    /// <param name="output">Receives <c>OutputSize</c> outputs per sample.</param>
    void Process(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Runs samples with caller-held state (<see cref="StateLength"/> floats), so one instance serves many streams.</summary>
    /// <param name="input">Time-major samples.</param>
    /// <param name="output">Receives <c>OutputSize</c> outputs per sample.</param>
    /// <param name="state">The state, read and updated.</param>
    void Process(ReadOnlySpan<float> input, Span<float> output, Span<float> state);

    /// <summary>Sets the instance's state to the model's initial state.</summary>
    void Reset();

    /// <summary>Sets a caller-held state to the model's initial state.</summary>
    /// <param name="state"><see cref="StateLength"/> floats.</param>
    void Reset(Span<float> state);
}
