using LstmGen.Generator.Cells;

namespace LstmGen.Generator.Model;

/// <summary>The activation after a dense layer.</summary>
internal enum DenseActivation
{
    Identity,
    Tanh,
    Sigmoid,
    Relu,
}

/// <summary>One recurrent layer read from a model file, in PyTorch's tensor layout.</summary>
/// <param name="Name">Where it came from, for documentation: <c>rec (layer 0)</c>.</param>
/// <param name="Cell">LSTM or GRU.</param>
/// <param name="InputSize">Features in.</param>
/// <param name="HiddenSize">Units.</param>
/// <param name="WeightIh"><c>weight_ih [G·H, I]</c>, row-major, PyTorch gate order.</param>
/// <param name="WeightHh"><c>weight_hh [G·H, H]</c>.</param>
/// <param name="BiasIh"><c>bias_ih [G·H]</c>.</param>
/// <param name="BiasHh"><c>bias_hh [G·H]</c>.</param>
/// <param name="InitialHidden">h_0 (empty: zeros).</param>
/// <param name="InitialCell">c_0 for the LSTM (empty: zeros).</param>
internal sealed record RecurrentLayer(
    string Name,
    CellKind Cell,
    int InputSize,
    int HiddenSize,
    EquatableArray<float> WeightIh,
    EquatableArray<float> WeightHh,
    EquatableArray<float> BiasIh,
    EquatableArray<float> BiasHh,
    EquatableArray<float> InitialHidden,
    EquatableArray<float> InitialCell)
{
    /// <summary>State floats: h (and c).</summary>
    public int StateLength => Cell == CellKind.Lstm ? 2 * HiddenSize : HiddenSize;
}

/// <summary>One dense (linear) layer: <c>y = act(W·x + b)</c>, W row-major <c>[out, in]</c> as in PyTorch.</summary>
internal sealed record DenseLayer(string Name, int InputSize, int OutputSize, EquatableArray<float> Weight, EquatableArray<float> Bias, DenseActivation Activation);

/// <summary>One stage of a network: a recurrent layer or a dense layer (exactly one is set).</summary>
internal sealed record NetworkStage(RecurrentLayer? Recurrent, DenseLayer? Dense)
{
    public int InputSize => Recurrent?.InputSize ?? Dense!.InputSize;

    public int OutputSize => Recurrent?.HiddenSize ?? Dense!.OutputSize;
}

/// <summary>
/// A network read from a model file: stages applied in order to every sample, then
/// <c>y += x[0 : Skip]</c> (the dry signal added back, as amp models do).
/// </summary>
/// <param name="Format">The file format, for documentation.</param>
/// <param name="InputSize">Features per sample.</param>
/// <param name="OutputSize">Outputs per sample.</param>
/// <param name="Skip">Input channels added to the output (0: none; equal to the output size, or 1 broadcast to every output).</param>
/// <param name="Stages">The layers in order.</param>
/// <param name="SampleRate">The sample rate the file states, or 0.</param>
internal sealed record NetworkSpec(string Format, int InputSize, int OutputSize, int Skip, EquatableArray<NetworkStage> Stages, int SampleRate);

/// <summary>The outcome of reading a model file: a network, or the one problem that prevents it (as diagnostic data).</summary>
internal sealed record ModelFileResult(NetworkSpec? Network, string ProblemId, EquatableArray<string> ProblemArguments)
{
    public static ModelFileResult Success(NetworkSpec network) => new(network, string.Empty, EquatableArray<string>.Empty);

    public static ModelFileResult Failure(string id, params string[] arguments) => new(null, id, arguments.ToEquatableArray());
}
