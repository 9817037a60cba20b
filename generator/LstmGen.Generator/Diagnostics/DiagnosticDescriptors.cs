using System;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

using LstmGen.Generator.Validation;

namespace LstmGen.Generator.Diagnostics;

/// <summary>Every diagnostic LstmGen reports, in one place. Each has a help page under docs/diagnostics.</summary>
internal static class DiagnosticDescriptors
{
    public const string Category = "LstmGen";

    /// <summary>The name of the assembly metadata that carries <see cref="DocsBaseUrl"/>.</summary>
    public const string DocsBaseUrlMetadataName = "LstmGenDocsBaseUrl";

    /// <summary>
    /// Where the help pages (docs/diagnostics/{ID}.md) are published: the MSBuild property <c>LstmGenDocsBaseUrl</c>
    /// (generator/Directory.Build.props) when this assembly was built, empty while the docs have no public address.
    /// Declared before the descriptors, which read it in their static initializers.
    /// </summary>
    public static readonly string DocsBaseUrl = ReadDocsBaseUrl();

    /// <summary><paramref name="docsBaseUrl"/> + "/{ID}.md", or null (no help link) for an empty base.</summary>
    public static string? HelpLinkFor(string docsBaseUrl, string id)
    {
        string trimmed = docsBaseUrl.Trim().TrimEnd('/');
        return trimmed.Length == 0 ? null : trimmed + "/" + id + ".md";
    }

    public static readonly DiagnosticDescriptor NotPartial = Create(
        DiagnosticIds.NotPartial, DiagnosticSeverity.Error,
        "A generated model type and its containing types must be partial",
        "'{0}' must be declared partial so LstmGen can add the generated {2} members to '{1}'",
        "LstmGen adds its members to the class through a second partial declaration. That needs the 'partial' modifier on every declaration of the class and of each type it is nested in.");

    public static readonly DiagnosticDescriptor NonPositiveSize = Create(
        DiagnosticIds.NonPositiveSize, DiagnosticSeverity.Error,
        "Model sizes must be positive",
        "{0} must be at least 1, but it is {1}",
        "inputSize, hiddenSize and sequenceLength are counts (features per step, hidden units, time steps) and must be at least 1.");

    public static readonly DiagnosticDescriptor UnsupportedType = Create(
        DiagnosticIds.UnsupportedType, DiagnosticSeverity.Error,
        "A model attribute cannot be applied to this kind of type",
        "[{2}] cannot be applied to '{0}': {1}",
        "A generated model is a concrete, non-generic, non-record class owning its parameters: [Lstm], [Gru] and [RecurrentModel] are not supported on generic, static, abstract, record or file-local types.");

    public static readonly DiagnosticDescriptor AboveLimit = Create(
        DiagnosticIds.AboveLimit, DiagnosticSeverity.Error,
        "A model size exceeds what LstmGen supports",
        "{0} exceeds the supported limit of {1}",
        "LstmGen targets small, fixed-size recurrent models: inputSize ≤ 65,536, hiddenSize ≤ 4,096, sequenceLength ≤ 65,536 and at most 64 Mi (67,108,864) parameters, which keeps every offset, tape and buffer within one .NET array.");

    public static readonly DiagnosticDescriptor StackBudget = Create(
        DiagnosticIds.StackBudget, DiagnosticSeverity.Warning,
        "Backward needs more stack than the budget",
        "Backward on '{0}' keeps its workspace on the stack for at most {1} steps, but sequenceLength = {2}: longer calls rent a pooled array instead of using the {3} KiB stack budget; pass a workspace of BackwardWorkspaceLength floats to Backward, or lower sequenceLength",
        "Backward without a workspace records the forward activations (7·hiddenSize floats per step) on the stack. Beyond 256 KiB (the generated constant BackwardStackSteps says how many steps that is) a call rents a pooled array instead, so it neither overflows the stack nor creates garbage, but it depends on the shared pool; the workspace overload makes the memory explicit.");

    public static readonly DiagnosticDescriptor MemberConflict = Create(
        DiagnosticIds.MemberConflict, DiagnosticSeverity.Error,
        "A member of a generated model type has a name LstmGen generates",
        "'{0}' declares '{1}', a name LstmGen generates into the type; rename or remove it",
        "LstmGen generates constants (InputSize, HiddenSize, SequenceLength, ParameterCount, …), properties (Parameters, Gradients) and methods (Step, Forward, Backward, …) into the model type. A member of the same name would collide with them.");

    public static readonly DiagnosticDescriptor RemainderPath = Create(
        DiagnosticIds.RemainderPath, DiagnosticSeverity.Info,
        "hiddenSize is not a multiple of the vector width",
        "hiddenSize = {0} is not a multiple of 8 floats, so a remainder vector that overlaps its neighbour runs in every step; {1} would use full vectors only",
        "The kernels process hidden units in vectors of 8 (AVX2) or 16 (AVX-512) floats. Other sizes are fully supported through one extra, overlapping vector group, which costs up to one group's work per step.");

    public static readonly DiagnosticDescriptor MissingVector512 = Create(
        DiagnosticIds.MissingVector512, DiagnosticSeverity.Error,
        "LstmGen needs .NET 8 or later",
        "'{0}' cannot be generated: the target framework has no System.Runtime.Intrinsics.Vector512 (LstmGen's kernels need .NET 8 or later)",
        "The generated kernels use Vector128/256/512 and the .NET 8 intrinsics APIs. Target net8.0 or later.");

    public static readonly DiagnosticDescriptor LanguageVersionTooLow = Create(
        DiagnosticIds.LanguageVersionTooLow, DiagnosticSeverity.Error,
        "LstmGen needs C# 9 or later",
        "'{0}' cannot be generated: LstmGen's code needs C# 9 or later, but this project uses C# {1}",
        "The generated code uses native-sized integers and pattern matching from C# 9. Raise LangVersion (the default for net8.0 is C# 12).");

    public static readonly DiagnosticDescriptor ModelFileNotFound = Create(
        DiagnosticIds.ModelFileNotFound, DiagnosticSeverity.Error,
        "The model file is not an AdditionalFiles item",
        "'{0}' is not among the AdditionalFiles of this project: add <AdditionalFiles Include=\"{0}\" /> to the project file so LstmGen can read it at compile time",
        "[RecurrentModel(\"path\")] reads the model file at compile time. The compiler only gives a generator the files listed as AdditionalFiles items, so the file must be one (its path relative to the project directory).");

    public static readonly DiagnosticDescriptor UnreadableModelFile = Create(
        DiagnosticIds.UnreadableModelFile, DiagnosticSeverity.Error,
        "The model file cannot be read as a model",
        "'{0}' cannot be read as a model: {1}",
        "The file must be JSON (the message gives the line and column of the first error) in one of the supported formats: a PyTorch state_dict as JSON, Automated-GuitarAmpModelling JSON, a Neural Amp Modeler .nam file, or RTNeural's Keras JSON.");

    public static readonly DiagnosticDescriptor ModelTensorShape = Create(
        DiagnosticIds.ModelTensorShape, DiagnosticSeverity.Error,
        "A tensor in the model file is missing, unexpected or has the wrong shape",
        "'{0}' does not hold the model it describes: {1}",
        "Every tensor the model needs must be present with the shape its layer sizes give, and there must be no other tensors: a layer the declared sizes do not cover is an error, not silently ignored.");

    public static readonly DiagnosticDescriptor UnsupportedModelContent = Create(
        DiagnosticIds.UnsupportedModelContent, DiagnosticSeverity.Error,
        "The model file uses an architecture, layer or option LstmGen does not support",
        "'{0}' uses something LstmGen cannot compile: {1} is not supported",
        "LstmGen compiles stacked unidirectional LSTM and GRU layers with biases, dense layers (identity, tanh, sigmoid or ReLU) and a skip connection. Bidirectional layers, projections, convolutions, WaveNet and other architectures are not supported.");

    public static readonly DiagnosticDescriptor ModelMetadataMismatch = Create(
        DiagnosticIds.ModelMetadataMismatch, DiagnosticSeverity.Error,
        "The model file's metadata contradicts its weights",
        "'{0}' contradicts itself: {1}",
        "A model file states sizes (hidden_size, unit_type, a layer's shape, …) and also holds weights. When they disagree the file is broken, and guessing which one is right would produce a wrong model.");

    public static readonly DiagnosticDescriptor ConflictingAttributes = Create(
        DiagnosticIds.ConflictingAttributes, DiagnosticSeverity.Error,
        "A type can be only one generated model",
        "'{0}' has {1}: a type holds one generated model; put each on its own type",
        "[Lstm], [Gru] and [RecurrentModel] each generate a complete model (sizes, parameters, Step, Forward, …) into the type. Two of them on one type would generate the same members twice.");

    public static readonly DiagnosticDescriptor InvalidInstructionSets = Create(
        DiagnosticIds.InvalidInstructionSets, DiagnosticSeverity.Error,
        "LstmGenInstructionSets is invalid",
        "LstmGenInstructionSets = '{0}' is invalid: list one or more of Avx512, Avx2, Vector128, Scalar separated by commas (or leave it empty for all)",
        "The MSBuild property LstmGenInstructionSets chooses which hardware paths the generated kernels contain, e.g. 'Avx512,Scalar' for a Native AOT build with a fixed instruction set. A dropped path falls back to the next kept one.");

    public static DiagnosticDescriptor? ForId(string id) => id switch
    {
        DiagnosticIds.NotPartial => NotPartial,
        DiagnosticIds.NonPositiveSize => NonPositiveSize,
        DiagnosticIds.UnsupportedType => UnsupportedType,
        DiagnosticIds.AboveLimit => AboveLimit,
        DiagnosticIds.StackBudget => StackBudget,
        DiagnosticIds.MemberConflict => MemberConflict,
        DiagnosticIds.RemainderPath => RemainderPath,
        DiagnosticIds.MissingVector512 => MissingVector512,
        DiagnosticIds.LanguageVersionTooLow => LanguageVersionTooLow,
        DiagnosticIds.ModelFileNotFound => ModelFileNotFound,
        DiagnosticIds.UnreadableModelFile => UnreadableModelFile,
        DiagnosticIds.ModelTensorShape => ModelTensorShape,
        DiagnosticIds.UnsupportedModelContent => UnsupportedModelContent,
        DiagnosticIds.ModelMetadataMismatch => ModelMetadataMismatch,
        DiagnosticIds.ConflictingAttributes => ConflictingAttributes,
        DiagnosticIds.InvalidInstructionSets => InvalidInstructionSets,
        _ => null,
    };

    private static DiagnosticDescriptor Create(string id, DiagnosticSeverity severity, string title, string message, string description) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, description, HelpLinkFor(DocsBaseUrl, id));

    private static string ReadDocsBaseUrl() =>
        typeof(DiagnosticDescriptors).Assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), inherit: false)
            .OfType<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => string.Equals(a.Key, DocsBaseUrlMetadataName, StringComparison.Ordinal))?.Value ?? "";
}
