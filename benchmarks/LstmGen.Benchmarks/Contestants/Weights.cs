namespace LstmGen.Benchmarks.Contestants;

/// <summary>
/// PyTorch-layout weights shared by every contestant (written by models/make_models.py): <c>weight_ih_l0 [G·H, I]</c>,
/// <c>weight_hh_l0 [G·H, H]</c>, <c>bias_ih_l0</c>, <c>bias_hh_l0</c>, with G = 4 gates (LSTM) or 3 (GRU).
/// </summary>
public sealed record Weights(int Gates, int InputSize, int HiddenSize, float[] WeightIh, float[] WeightHh, float[] BiasIh, float[] BiasHh)
{
    /// <summary>The LSTM of one benchmark shape.</summary>
    public static Weights Load(int inputSize, int hiddenSize) => Read($"lstm_I{inputSize}_H{hiddenSize}", 4, inputSize, hiddenSize);

    /// <summary>The GRU of one benchmark shape.</summary>
    public static Weights LoadGru(int inputSize, int hiddenSize) => Read($"gru_I{inputSize}_H{hiddenSize}", 3, inputSize, hiddenSize);

    private static Weights Read(string name, int gates, int inputSize, int hiddenSize)
    {
        // "LGW1", int32 gates, I, H, then the four tensors as float32, little-endian (see make_models.py).
        string path = Path.Combine(AppContext.BaseDirectory, "models", name + ".weights.bin");
        using var reader = new BinaryReader(File.OpenRead(path));
        if (new string(reader.ReadChars(4)) != "LGW1" || reader.ReadInt32() != gates || reader.ReadInt32() != inputSize || reader.ReadInt32() != hiddenSize)
        {
            throw new InvalidDataException($"{path} does not hold a {gates}-gate layer with I = {inputSize}, H = {hiddenSize}.");
        }

        float[] Floats(int count)
        {
            var values = new float[count];
            reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }

        int g = gates * hiddenSize;
        var weights = new Weights(gates, inputSize, hiddenSize, Floats(g * inputSize), Floats(g * hiddenSize), Floats(g), Floats(g));
        if (reader.BaseStream.Position != reader.BaseStream.Length)
        {
            throw new InvalidDataException($"{path} has trailing bytes.");
        }

        return weights;
    }

    /// <summary>
    /// The layout the runtime-sized vector contestants use (and the generated code too): W_ihᵀ then W_hhᵀ, each row
    /// the 4H gate weights one input element or hidden unit feeds; and b_ih + b_hh summed once.
    /// </summary>
    public (LstmGen.Kernels.AlignedBuffer Weights, LstmGen.Kernels.AlignedBuffer Bias) TransposedWithSummedBias()
    {
        int g = 4 * HiddenSize;
        var transposed = new LstmGen.Kernels.AlignedBuffer((InputSize + HiddenSize) * g);
        var bias = new LstmGen.Kernels.AlignedBuffer(g);
        Span<float> w = transposed.Span;
        for (int r = 0; r < g; r++)
        {
            for (int k = 0; k < InputSize; k++)
            {
                w[k * g + r] = WeightIh[r * InputSize + k];
            }

            for (int j = 0; j < HiddenSize; j++)
            {
                w[(InputSize + j) * g + r] = WeightHh[r * HiddenSize + j];
            }

            bias.Span[r] = BiasIh[r] + BiasHh[r];
        }

        return (transposed, bias);
    }
}

/// <summary>One way of running the LSTM, on buffers it owns; the benchmarks time these calls.</summary>
public interface IContestant
{
    string Name { get; }

    /// <summary>One step from the current state (x_0 as input); the state is updated in place.</summary>
    void Step();

    /// <summary>A forward pass over the whole sequence from the current state.</summary>
    void Forward();

    /// <summary>The backward pass over the whole sequence (with what it needs recomputed or recorded).</summary>
    void Backward() => throw new NotSupportedException($"{Name} has no backward pass.");

    /// <summary>Resets the state to h = c = 0.</summary>
    void Reset();

    /// <summary>The hidden state after the last call.</summary>
    ReadOnlySpan<float> Hidden { get; }

    /// <summary>∂L/∂input after the last Backward, for cross-checking.</summary>
    ReadOnlySpan<float> InputGradient => throw new NotSupportedException();
}

/// <summary>The inputs every contestant sees: a deterministic sequence and upstream gradients.</summary>
public sealed class Workload
{
    public Workload(int inputSize, int hiddenSize, int steps)
    {
        Steps = steps;
        Input = Enumerable.Range(0, steps * inputSize).Select(i => MathF.Sin(0.37f * i) * 0.8f).ToArray();
        OutputGradient = Enumerable.Range(0, steps * hiddenSize).Select(i => MathF.Cos(0.11f * i) * 0.1f).ToArray();
    }

    public int Steps { get; }

    public float[] Input { get; }

    public float[] OutputGradient { get; }
}
