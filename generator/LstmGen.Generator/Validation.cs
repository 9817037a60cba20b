using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;

namespace LstmGen.Generator;

/// <summary>
/// The one set of rules deciding whether an <c>[Lstm]</c> use is valid. The analyzer reports what it
/// returns; the generator emits code only when it returns no error.
/// </summary>
internal static class Validation
{
    public const int MaxInputSize = 65_536;
    public const int MaxHiddenSize = 4_096;
    public const int MaxSequenceLength = 65_536;

    /// <summary>64 Mi parameters = 256 MiB of floats, twice that with gradients: far beyond a "small" model.</summary>
    public const int MaxParameterCount = 64 * 1024 * 1024;

    /// <summary>Stack bytes a generated method may use before LSTM005 warns (a thread's stack is often 1 MiB).</summary>
    public const int StackBudgetBytes = 256 * 1024;

    /// <summary>The vector width the LSTM007 hint measures hidden sizes against (one 256-bit vector of floats).</summary>
    public const int HintVectorFloats = 8;

    /// <summary>C# 9 (<c>LanguageVersion.CSharp9</c> = 900): native-sized integers in the emitted code.</summary>
    public const int MinimumLanguageVersion = 900;

    /// <summary>Names the generator emits into the user's type; declaring any of them yourself is LSTM006.</summary>
    public static readonly ImmutableArray<string> GeneratedMemberNames = ImmutableArray.Create(
        "InputSize", "HiddenSize", "SequenceLength", "ParameterCount", "Parameters", "InitializeParameters",
        "ImportPyTorch", "ExportPyTorch", "Step", "Forward", "Backward", "Gradients", "ZeroGradients",
        "ExportGradientsPyTorch", "BackwardWorkspaceLength", "TapeLength",
        "BackwardFromTape", "GateCount", "WeightHhOffset", "BiasIhOffset", "BiasHhOffset", "TapeHeaderLength", "TapeStride",
        "BackwardStackLimitFloats", "RecordForward", "BackwardUsingWorkspace", "BackwardCore",
        "_lstmParameters", "_lstmGradients", "LstmKernels");

    public static ImmutableArray<LstmProblem> Validate(LstmCandidate candidate)
    {
        var problems = ImmutableArray.CreateBuilder<LstmProblem>();

        foreach (string type in candidate.NonPartialTypes)
        {
            // MemberName carries which type of the chain lacks 'partial'; the analyzer reports at its declaration.
            problems.Add(new LstmProblem(
                DiagnosticIds.NotPartial, ProblemTarget.TypeIdentifier, 0, type,
                ImmutableArray.Create(type, candidate.TypeName).ToEquatableArray()));
        }

        string? shapeReason =
            candidate.IsGeneric ? "it is generic (sizes and kernels are generated per closed type)" :
            candidate.IsStatic ? "it is static (each instance owns its parameters)" :
            candidate.IsAbstract ? "it is abstract (the generated members need a concrete type)" :
            candidate.IsRecord ? "it is a record (value equality over a parameter buffer is misleading)" :
            candidate.IsFileLocal ? "it is file-local (the generated part is a different file, so it would be a different type)" :
            null;
        if (shapeReason is not null)
        {
            problems.Add(Problem(DiagnosticIds.UnsupportedType, ProblemTarget.TypeIdentifier, candidate.TypeName, shapeReason));
        }

        if (!candidate.HasVector512)
        {
            problems.Add(Problem(DiagnosticIds.MissingVector512, ProblemTarget.Attribute, candidate.TypeName));
        }

        if (candidate.LanguageVersion < MinimumLanguageVersion)
        {
            problems.Add(Problem(DiagnosticIds.LanguageVersionTooLow, ProblemTarget.Attribute, candidate.TypeName, FormatLanguageVersion(candidate.LanguageVersion)));
        }

        CheckSize(problems, 0, "inputSize", candidate.InputSize, MaxInputSize);
        CheckSize(problems, 1, "hiddenSize", candidate.HiddenSize, MaxHiddenSize);
        CheckSize(problems, 2, "sequenceLength", candidate.SequenceLength, MaxSequenceLength);

        if (candidate.InputSize is int i and > 0 and <= MaxInputSize && candidate.HiddenSize is int h and > 0 and <= MaxHiddenSize)
        {
            long parameters = 4L * h * i + 4L * h * h + 8L * h;
            if (parameters > MaxParameterCount)
            {
                problems.Add(Problem(
                    DiagnosticIds.AboveLimit, ProblemTarget.Attribute,
                    $"the parameter count 4·H·I + 4·H·H + 8·H = {Format(parameters)}", Format(MaxParameterCount)));
            }
            else if (h % HintVectorFloats != 0)
            {
                int lower = h / HintVectorFloats * HintVectorFloats;
                int upper = lower + HintVectorFloats;
                problems.Add(Problem(
                    DiagnosticIds.RemainderPath, ProblemTarget.AttributeArgument, 1,
                    Format(h), lower == 0 ? Format(upper) : $"{Format(lower)} or {Format(upper)}"));
            }
        }

        foreach (string member in candidate.ConflictingMembers)
        {
            problems.Add(new LstmProblem(
                DiagnosticIds.MemberConflict, ProblemTarget.Member, 0, member,
                ImmutableArray.Create(candidate.TypeName, member).ToEquatableArray()));
        }

        return problems.ToImmutable();
    }

    public static bool HasErrors(IEnumerable<LstmProblem> problems)
    {
        foreach (LstmProblem problem in problems)
        {
            if (DiagnosticIds.IsError(problem.Id))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The spec to generate from, or <see langword="null"/> when the candidate has any error.</summary>
    public static LstmSpec? ToSpec(LstmCandidate candidate)
    {
        if (candidate.LstmAttributeCount != 1 || HasErrors(Validate(candidate)))
        {
            // Duplicate [Lstm] is already a compiler error (CS0579); generating would add a cascade.
            return null;
        }

        return new LstmSpec(
            candidate.TypeName,
            candidate.Namespace,
            candidate.ContainingTypes,
            candidate.InputSize!.Value,
            candidate.HiddenSize!.Value,
            candidate.SequenceLength!.Value,
            candidate.AllowUnsafe);
    }

    private static void CheckSize(ImmutableArray<LstmProblem>.Builder problems, int index, string name, int? value, int limit)
    {
        if (value is not int v)
        {
            // Not a constant (a compiler error is already reported for the argument).
            problems.Add(new LstmProblem(DiagnosticIds.Unreadable, ProblemTarget.AttributeArgument, index, string.Empty, EquatableArray<string>.Empty));
            return;
        }

        if (v <= 0)
        {
            problems.Add(Problem(DiagnosticIds.NonPositiveSize, ProblemTarget.AttributeArgument, index, name, Format(v)));
        }
        else if (v > limit)
        {
            problems.Add(Problem(DiagnosticIds.AboveLimit, ProblemTarget.AttributeArgument, index, $"{name} = {Format(v)}", Format(limit)));
        }
    }

    private static LstmProblem Problem(string id, ProblemTarget target, params string[] arguments)
        => new(id, target, 0, string.Empty, arguments.ToEquatableArray());

    private static LstmProblem Problem(string id, ProblemTarget target, int argumentIndex, params string[] arguments)
        => new(id, target, argumentIndex, string.Empty, arguments.ToEquatableArray());

    private static string FormatLanguageVersion(int version) =>
        version % 100 == 0
            ? (version / 100).ToString(CultureInfo.InvariantCulture)
            : $"{version / 100}.{version % 100}";

    private static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>The diagnostic IDs, in one place.</summary>
internal static class DiagnosticIds
{
    public const string NotPartial = "LSTM001";
    public const string NonPositiveSize = "LSTM002";
    public const string UnsupportedType = "LSTM003";
    public const string AboveLimit = "LSTM004";
    public const string StackBudget = "LSTM005";
    public const string MemberConflict = "LSTM006";
    public const string RemainderPath = "LSTM007";
    public const string MissingVector512 = "LSTM008";
    public const string LanguageVersionTooLow = "LSTM009";

    /// <summary>An argument that is not a constant: the compiler already reports it; never surfaced.</summary>
    public const string Unreadable = "LSTM000";

    public static bool IsError(string id) => id switch
    {
        StackBudget => false,
        RemainderPath => false,
        _ => true,
    };
}
