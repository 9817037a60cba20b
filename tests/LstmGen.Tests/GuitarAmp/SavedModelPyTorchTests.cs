using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace LstmGen.Tests.GuitarAmp;

/// <summary>What PyTorch computed from a file GuitarAmpModelWriter saved (make_agam_writer_references.py).</summary>
public sealed record WriterReference(int InputSize, int OutputSize, int Samples, float[] Input, double[] Output)
{
    /// <summary>The same bound as the other model files' parity tests: 1e-5 absolute for layers up to 40 units.</summary>
    public const double Tolerance = 1e-5;

    public static WriterReference Load(string file)
    {
        string path = Path.Combine(SavedModel.OutputDirectory, file + ".reference.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        return new WriterReference(
            root.GetProperty("input_size").GetInt32(),
            root.GetProperty("output_size").GetInt32(),
            root.GetProperty("samples").GetInt32(),
            root.GetProperty("input").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray(),
            root.GetProperty("output").EnumerateArray().Select(v => v.GetDouble()).ToArray());
    }
}

/// <summary>
/// The saver's promise, checked against PyTorch: CoreAudioML's <c>SimpleRNN</c> loaded from a saved file
/// (<c>load_state_dict(strict=True)</c>) computes what the saved C# layer, head and skip compute, and so does the file
/// compiled back in by <c>[RecurrentModel]</c> — including the model samples/GuitarAmp trained.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class SavedModelPyTorchTests
{
    private readonly ITestOutputHelper _output;

    public SavedModelPyTorchTests(ITestOutputHelper output) => _output = output;

    public static IEnumerable<object[]> CompiledFiles() => CompiledSavedModels.ByFile.Keys.Order(StringComparer.Ordinal).Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(SavedModel.Files), MemberType = typeof(SavedModel))]
    public void PyTorch_loading_the_saved_file_computes_what_the_saved_layer_head_and_skip_compute(string file)
    {
        SavedModel model = SavedModel.All[file]();
        WriterReference reference = WriterReference.Load(file);
        Assert.Equal(model.InputSize, reference.InputSize);
        Assert.Equal(model.OutputSize, reference.OutputSize);
        float[] output = model.Run(reference.Input);
        double worst = AssertClose(file, reference, output);
        _output.WriteLine($"{file} (C# layer + head + skip) on {IsaInfo.Describe()}: worst absolute error {worst:E2} over {output.Length} outputs");
    }

    [Theory]
    [MemberData(nameof(CompiledFiles))]
    public void The_saved_file_compiled_by_RecurrentModel_computes_what_pytorch_computes(string file)
    {
        IRecurrentModel model = CompiledSavedModels.ByFile[file]();
        WriterReference reference = WriterReference.Load(file);
        Assert.Equal(reference.InputSize, model.InputSize);
        Assert.Equal(reference.OutputSize, model.OutputSize);
        float[] output = new float[reference.Samples * reference.OutputSize];
        model.Process(reference.Input, output);
        double worst = AssertClose(file, reference, output);
        _output.WriteLine($"{file} ([RecurrentModel]) on {IsaInfo.Describe()}: worst absolute error {worst:E2} over {output.Length} outputs");
    }

    private static double AssertClose(string file, WriterReference reference, float[] output)
    {
        Assert.Equal(reference.Output.Length, output.Length);
        double worst = 0;
        for (int k = 0; k < output.Length; k++)
        {
            double error = Math.Abs(output[k] - reference.Output[k]);
            worst = Math.Max(worst, error);
            Assert.True(error <= WriterReference.Tolerance, $"{file}: output {k} is {output[k]:R}, PyTorch says {reference.Output[k]:R} (error {error:E2})");
        }

        // The models do something: the references are not all (near) zero.
        Assert.True(reference.Output.Max(Math.Abs) > 0.05, $"{file}: the reference outputs are all tiny");
        return worst;
    }
}
