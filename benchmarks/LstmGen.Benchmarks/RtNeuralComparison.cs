using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using LstmGen.Benchmarks.Contestants;

namespace LstmGen.Benchmarks;

// The GRU of the RTNeural comparison at the audio size (streaming only).
[Gru(inputSize: 1, hiddenSize: 40, sequenceLength: 1)] public sealed partial class StreamingGru40 { }

/// <summary>
/// <c>--rtneural-compare &lt;dir&gt; [rounds] [--shapes I1_H8,…]</c>: the generated <c>Step</c> + a Linear(H→1) dot product
/// against RTNeural (Eigen backend, compile-time <c>ModelT&lt;LSTMLayerT, DenseT&gt;</c>, one <c>forward</c> per sample),
/// same weights, same inputs, same machine, rounds alternating between this process and the RTNeural binary.
/// </summary>
/// <remarks>
/// <para>
/// RTNeural is not part of this repository and nothing here builds it. The mode expects a directory laid out like
/// the harness it was measured with: <c>bin/bench_{lstm,gru}_I&lt;I&gt;_H&lt;H&gt;</c> (modes <c>verify w.bin x.bin y.bin</c> and
/// <c>bench w.bin x.bin rounds passes</c>, printing <c>median_ns_per_sample=…</c>), weights
/// <c>data/{lstm,gru}_I&lt;I&gt;_H&lt;H&gt;.w.bin</c> (RNNW: "RNNW", int32 version = 1, cell (0 LSTM, 1 GRU), I, H, O = 1, then
/// float32 PyTorch weight_ih, weight_hh, bias_ih, bias_hh, dense.weight [1, H], dense.bias [1]) and inputs
/// <c>data/x_I&lt;I&gt;_n4096.bin</c> (RNNX: "RNNX", int32 N, int32 I, float32 x[N·I]).
/// </para>
/// <para>
/// Per shape: the weights go into the generated [Lstm] (and contestant 4's kernel); RTNeural's <c>verify</c> output for the
/// 4096 inputs from zero state must match ours within 1e-4; then each round measures our ns per sample (whole passes
/// over the 4096 inputs, state carried on, as the RTNeural bench does) and runs the binary's <c>bench</c> once (its
/// own warm-up, 3 rounds, median). The ratio is the median of ours over the median of RTNeural's.
/// </para>
/// </remarks>
public static class RtNeuralComparison
{
    private static readonly (string Cell, int I, int H, string Target)[] DefaultShapes =
    {
        ("lstm", 1, 8, "≤ 0.6"), ("lstm", 1, 40, "≤ 0.8"), ("lstm", 16, 64, "≤ 0.65"), ("lstm", 64, 128, "≤ 0.7"), ("lstm", 32, 256, "–"),
        ("gru", 1, 40, "–"), ("gru", 16, 64, "–"),
    };

    public static int Run(string[] args)
    {
        if (args.Length == 0 || !Directory.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: --rtneural-compare <dir with bin/ and data/> [rounds] [--shapes lstm_I1_H8,gru_I16_H64,…]");
            return 2;
        }

        string dir = args[0];
        int rounds = args.Length > 1 && int.TryParse(args[1], out int r) ? r : 5;
        int at = Array.IndexOf(args, "--shapes");
        var shapes = at >= 0 && at + 1 < args.Length
            ? DefaultShapes.Where(s => args[at + 1].Split(',').Contains($"{s.Cell}_I{s.I}_H{s.H}")).ToArray()
            : DefaultShapes;
        string scratch = Directory.CreateTempSubdirectory("lstmgen-rtneural-").FullName;
        var lines = new List<string>();
        try
        {
            foreach (var (cell, i, h, target) in shapes)
            {
                lines.Add(Compare(dir, scratch, cell, i, h, target, rounds));
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine($"RTNeural comparison, ns per sample (Step + Linear(H→1)), medians of {rounds} alternating rounds, {DateTime.UtcNow:yyyy-MM-dd} UTC");
        Console.WriteLine("| cell (I, H) | generated | contestant 4 | RTNeural | generated / RTNeural | target | contestant 4 / RTNeural |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        lines.ForEach(Console.WriteLine);
        return 0;
    }

    private static string Compare(string dir, string scratch, string cell, int inputSize, int hiddenSize, string target, int rounds)
    {
        string tag = $"{cell}_I{inputSize}_H{hiddenSize}";
        string binary = Path.Combine(dir, "bin", "bench_" + tag);
        string weightsPath = Path.Combine(dir, "data", tag + ".w.bin");
        string inputPath = Path.Combine(dir, "data", $"x_I{inputSize}_n4096.bin");
        var file = RnnFiles.ReadWeights(weightsPath, cell == "gru" ? 1 : 0, inputSize, hiddenSize);
        float[] x = RnnFiles.ReadInput(inputPath, inputSize);
        int n = x.Length / inputSize;

        var ours = new List<(string Name, Streaming Model)> { ("generated", Streaming.Generated(file)) };
        if (cell == "lstm")
        {
            ours.Add(("contestant 4", Streaming.Vector512(file)));
        }

        // Same outputs as RTNeural's verify mode (fresh model, zero state, every sample).
        string outputPath = Path.Combine(scratch, tag + ".y.bin");
        string verifyLog = RunChild(binary, $"verify \"{weightsPath}\" \"{inputPath}\" \"{outputPath}\"");
        float[] reference = RnnFiles.ReadOutput(outputPath, n);
        foreach (var (name, model) in ours)
        {
            model.Reset();
            float worst = 0;
            for (int s = 0; s < n; s++)
            {
                worst = MathF.Max(worst, MathF.Abs(model.Sample(x.AsSpan(s * inputSize, inputSize)) - reference[s]));
            }

            if (!(worst <= 1e-4f))
            {
                throw new InvalidOperationException($"{tag}: {name} disagrees with RTNeural's verify output by {worst} (RTNeural: {verifyLog.Trim()}).");
            }

            Console.WriteLine($"{tag}: {name} agrees with RTNeural's outputs over {n} samples (max |diff| {worst:G3})");
        }

        // Warm-up (tiered compilation of whatever is not [AggressiveOptimization]: contestant 4, Vector512.Exp).
        foreach (var (_, model) in ours)
        {
            QuickComparison.Measure(() => model.Pass(x), seconds: 1.0);
        }

        // Alternate: our passes, then one RTNeural bench run (its rounds ≈ 30 ms each, like ours).
        var samples = ours.Select(_ => new List<double>()).ToList();
        var theirs = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < ours.Count; k++)
            {
                Streaming model = ours[k].Model;
                samples[k].Add(QuickComparison.Measure(() => model.Pass(x), seconds: 0.3) / n);
            }

            int passes = Math.Max(1, (int)(30e6 / (n * samples[0][^1] * 1.3)));
            string log = RunChild(binary, $"bench \"{weightsPath}\" \"{inputPath}\" 3 {passes}");
            string field = log.Split(' ', '\n').First(f => f.StartsWith("median_ns_per_sample=", StringComparison.Ordinal));
            theirs.Add(double.Parse(field.AsSpan("median_ns_per_sample=".Length), CultureInfo.InvariantCulture));
        }

        double[] m = samples.Select(QuickComparison.Median).ToArray();
        double rt = QuickComparison.Median(theirs);
        string four = m.Length > 1 ? $"{m[1]:F1}" : "–", fourRatio = m.Length > 1 ? $"{m[1] / rt:F2}" : "–";
        string line = $"| {cell.ToUpperInvariant()} ({inputSize}, {hiddenSize}) | {m[0]:F1} | {four} | {rt:F1} | **{m[0] / rt:F2}** | {target} | {fourRatio} |";
        Console.WriteLine(line);
        return line;
    }

    private static string RunChild(string binary, string arguments)
    {
        var start = new ProcessStartInfo(binary, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {binary}");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{binary} {arguments} exited with {process.ExitCode}: {output}{error.Result}");
        }

        return output;
    }

    /// <summary>One model + Linear(H→1) head run sample by sample, state held here.</summary>
    private abstract class Streaming
    {
        // Every step is a direct call on the sealed generated class through a struct type argument, as in a user's
        // code (no interface or delegate dispatch per sample).
        public static Streaming Generated(RnnFiles.Model f) => (f.Cell, f.InputSize, f.HiddenSize) switch
        {
            (0, 1, 8) => new Streaming<GeneratedI1H8Step>(f, new(Imported(new GeneratedI1H8(), f))),
            (0, 1, 40) => new Streaming<GeneratedI1H40Step>(f, new(Imported(new GeneratedI1H40(), f))),
            (0, 16, 64) => new Streaming<GeneratedI16H64Step>(f, new(Imported(new GeneratedI16H64(), f))),
            (0, 64, 128) => new Streaming<GeneratedI64H128Step>(f, new(Imported(new GeneratedI64H128(), f))),
            (0, 32, 256) => new Streaming<GeneratedI32H256Step>(f, new(Imported(new GeneratedI32H256(), f))),
            (1, 1, 40) => new Streaming<StreamingGru40Step>(f, new(Imported(new StreamingGru40(), f))),
            (1, 16, 64) => new Streaming<GeneratedGruI16H64Step>(f, new(Imported(new GeneratedGruI16H64(), f))),
            (1, 64, 128) => new Streaming<GeneratedGruI64H128Step>(f, new(Imported(new GeneratedGruI64H128(), f))),
            _ => throw new ArgumentException($"no generated model for cell {f.Cell} ({f.InputSize}, {f.HiddenSize})"),
        };

        public static Streaming Vector512(RnnFiles.Model f) =>
            new Streaming<PanelStep>(f, new PanelStep(new PanelLstmKernel<ExpActivations>(f.InputSize, f.HiddenSize, f.WeightIh, f.WeightHh, f.BiasIh, f.BiasHh)));

        private static T Imported<T>(T model, RnnFiles.Model f)
            where T : class
        {
            switch (model)
            {
                case ILstm lstm: lstm.ImportPyTorch(f.WeightIh, f.WeightHh, f.BiasIh, f.BiasHh); break;
                case IGru gru: gru.ImportPyTorch(f.WeightIh, f.WeightHh, f.BiasIh, f.BiasHh); break;
            }

            return model;
        }

        public abstract void Reset();

        public abstract float Sample(ReadOnlySpan<float> x);

        public abstract void Pass(float[] x);
    }

    private sealed class Streaming<TStep> : Streaming
        where TStep : struct, IStreamingStep
    {
        private readonly TStep _step;
        private readonly float[] _hidden, _cell, _dense;
        private readonly float _bias;
        private readonly int _inputSize;
        private float _checksum;

        public Streaming(RnnFiles.Model file, TStep step)
        {
            _step = step;
            _hidden = new float[file.HiddenSize];
            _cell = new float[file.HiddenSize];
            _dense = file.DenseWeight;
            _bias = file.DenseBias;
            _inputSize = file.InputSize;
        }

        public override void Reset()
        {
            Array.Clear(_hidden);
            Array.Clear(_cell);
        }

        public override float Sample(ReadOnlySpan<float> x)
        {
            _step.Step(x, _hidden, _cell);
            return TensorPrimitives.Dot(_dense, _hidden) + _bias;
        }

        public override void Pass(float[] x)
        {
            float sum = 0;
            for (int s = 0; s + _inputSize <= x.Length; s += _inputSize)
            {
                _step.Step(x.AsSpan(s, _inputSize), _hidden, _cell);
                sum += TensorPrimitives.Dot(_dense, _hidden) + _bias;
            }

            _checksum += sum;
        }
    }

    private interface IStreamingStep
    {
        void Step(ReadOnlySpan<float> x, Span<float> hidden, Span<float> cell);
    }

    private readonly struct GeneratedI1H8Step(GeneratedI1H8 model) : IStreamingStep
    {
        public void Step(ReadOnlySpan<float> x, Span<float> hidden, Span<float> cell) => model.Step(x, hidden, cell);
    }

    private readonly struct GeneratedI1H40Step(GeneratedI1H40 model) : IStreamingStep
    {
        public void Step(ReadOnlySpan<float> x, Span<float> hidden, Span<float> cell) => model.Step(x, hidden, cell);
    }

    private readonly struct GeneratedI16H64Step(GeneratedI16H64 model) : IStreamingStep
    {
        public void Step(ReadOnlySpan<float> x, Span<float> hidden, Span<float> cell) => model.Step(x, hidden, cell);
    }

    private readonly struct GeneratedI64H128Step(GeneratedI64H128 model) : IStreamingStep
    {
        public void Step(ReadOnlySpan<float> x, Span<float> hidden, Span<float> cell) => model.Step(x, hidden, cell);
    }

    private readonly struct GeneratedI32H256Step(GeneratedI32H256 model) : IStreamingStep
    {
        public void Step(ReadOnlySpan<float> x, Span<float> hidden, Span<float> cell) => model.Step(x, hidden, cell);
    }

    private readonly struct StreamingGru40Step(StreamingGru40 model) : IStreamingStep
    {
        public void Step(ReadOnlySpan<float> x, Span<float> hidden, Span<float> cell) => model.Step(x, hidden);
    }

    private readonly struct GeneratedGruI16H64Step(GeneratedGruI16H64 model) : IStreamingStep
    {
        public void Step(ReadOnlySpan<float> x, Span<float> hidden, Span<float> cell) => model.Step(x, hidden);
    }

    private readonly struct GeneratedGruI64H128Step(GeneratedGruI64H128 model) : IStreamingStep
    {
        public void Step(ReadOnlySpan<float> x, Span<float> hidden, Span<float> cell) => model.Step(x, hidden);
    }

    private readonly struct PanelStep(PanelLstmKernel<ExpActivations> kernel) : IStreamingStep
    {
        public void Step(ReadOnlySpan<float> x, Span<float> hidden, Span<float> cell) => kernel.Step(x, hidden, cell);
    }
}

/// <summary>Readers for the RTNeural harness's files (RNNW weights, RNNX inputs, RNNY outputs; little-endian).</summary>
public static class RnnFiles
{
    public sealed record Model(int Cell, int InputSize, int HiddenSize, float[] WeightIh, float[] WeightHh, float[] BiasIh, float[] BiasHh, float[] DenseWeight, float DenseBias);

    public static Model ReadWeights(string path, int cell, int inputSize, int hiddenSize)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        Magic(reader, "RNNW", path);
        int version = reader.ReadInt32(), c = reader.ReadInt32(), i = reader.ReadInt32(), h = reader.ReadInt32(), o = reader.ReadInt32();
        if (version != 1 || c != cell || i != inputSize || h != hiddenSize || o != 1)
        {
            throw new InvalidDataException($"{path}: version {version}, cell {c}, I {i}, H {h}, O {o}; expected 1, {cell}, {inputSize}, {hiddenSize}, 1.");
        }

        int g = (cell == 1 ? 3 : 4) * h;
        var model = new Model(c, i, h, Floats(reader, g * i), Floats(reader, g * h), Floats(reader, g), Floats(reader, g), Floats(reader, h), Floats(reader, 1)[0]);
        End(reader, path);
        return model;
    }

    public static float[] ReadInput(string path, int inputSize)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        Magic(reader, "RNNX", path);
        int n = reader.ReadInt32();
        if (reader.ReadInt32() != inputSize)
        {
            throw new InvalidDataException($"{path}: input width is not {inputSize}.");
        }

        float[] x = Floats(reader, n * inputSize);
        End(reader, path);
        return x;
    }

    public static float[] ReadOutput(string path, int samples)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        Magic(reader, "RNNY", path);
        if (reader.ReadInt32() != samples || reader.ReadInt32() != 1)
        {
            throw new InvalidDataException($"{path}: not {samples} samples of 1 output.");
        }

        float[] y = Floats(reader, samples);
        End(reader, path);
        return y;
    }

    private static void Magic(BinaryReader reader, string magic, string path)
    {
        if (new string(reader.ReadChars(4)) != magic)
        {
            throw new InvalidDataException($"{path}: not an {magic} file.");
        }
    }

    private static float[] Floats(BinaryReader reader, int count)
    {
        var values = new float[count];
        reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static void End(BinaryReader reader, string path)
    {
        if (reader.BaseStream.Position != reader.BaseStream.Length)
        {
            throw new InvalidDataException($"{path}: trailing bytes.");
        }
    }
}
