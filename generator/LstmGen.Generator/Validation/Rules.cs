using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Model;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Validation;

/// <summary>
/// The one set of rules deciding whether an <c>[Lstm]</c>/<c>[Gru]</c> use is valid. The analyzer reports what it
/// returns; the generator emits code only when it returns no error.
/// </summary>
internal static class Rules
{
    public const int MaxInputSize = 65_536;
    public const int MaxHiddenSize = 4_096;
    public const int MaxSequenceLength = 65_536;

    /// <summary>64 Mi parameters = 256 MiB of floats, twice that with gradients: far beyond a "small" model.</summary>
    public const int MaxParameterCount = 64 * 1024 * 1024;

    /// <summary>The vector width the LSTM007 hint measures hidden sizes against (one 256-bit vector of floats).</summary>
    public const int HintVectorFloats = 8;

    /// <summary>C# 9 (<c>LanguageVersion.CSharp9</c> = 900): native-sized integers in the emitted code.</summary>
    public const int MinimumLanguageVersion = 900;

    public static ImmutableArray<LstmProblem> Validate(LayerCandidate candidate)
    {
        var problems = ImmutableArray.CreateBuilder<LstmProblem>();
        CellDescriptor cell = CellDescriptor.For(candidate.Cell);
        string attribute = cell.AttributeName;
        string typeName = candidate.Type.TypeName;

        foreach (string type in candidate.NonPartialTypes)
        {
            // MemberName carries which type of the chain lacks 'partial'; the analyzer reports at its declaration.
            problems.Add(new LstmProblem(
                DiagnosticIds.NotPartial, ProblemTarget.TypeIdentifier, 0, type,
                ImmutableArray.Create(type, typeName, cell.DisplayName).ToEquatableArray()));
        }

        CheckShape(problems, typeName, attribute, candidate.IsGeneric, candidate.IsStatic, candidate.IsAbstract, candidate.IsRecord, candidate.IsFileLocal);
        CheckModelAttributes(problems, typeName, candidate.ModelAttributes);
        CheckTarget(problems, typeName, candidate.HasVector512, candidate.LanguageVersion);

        CheckSize(problems, 0, "inputSize", candidate.InputSize, MaxInputSize);
        CheckSize(problems, 1, "hiddenSize", candidate.HiddenSize, MaxHiddenSize);
        CheckSize(problems, 2, "sequenceLength", candidate.SequenceLength, MaxSequenceLength);

        if (candidate.InputSize is int i and > 0 and <= MaxInputSize && candidate.HiddenSize is int h and > 0 and <= MaxHiddenSize)
        {
            int g = cell.GateCount;
            long parameters = (long)g * h * i + (long)g * h * h + 2L * g * h;
            if (parameters > MaxParameterCount)
            {
                problems.Add(Problem(
                    DiagnosticIds.AboveLimit, ProblemTarget.Attribute,
                    $"the parameter count {g}·H·I + {g}·H·H + {2 * g}·H = {Format(parameters)}", Format(MaxParameterCount)));
            }
            else
            {
                if (h % HintVectorFloats != 0)
                {
                    int lower = h / HintVectorFloats * HintVectorFloats;
                    int upper = lower + HintVectorFloats;
                    problems.Add(Problem(
                        DiagnosticIds.RemainderPath, ProblemTarget.AttributeArgument, 1,
                        Format(h), lower == 0 ? Format(upper) : $"{Format(lower)} or {Format(upper)}"));
                }

                if (candidate.SequenceLength is int t and > 0 and <= MaxSequenceLength)
                {
                    var plan = new LayerTypePlan(candidate.Type, t, LayerPlanner.Plan(candidate.Cell, i, h, LayerPlanner.AllPaths, true, false));
                    if (plan.BackwardStackSteps < t)
                    {
                        problems.Add(Problem(
                            DiagnosticIds.StackBudget, ProblemTarget.AttributeArgument, 2,
                            typeName, Format(plan.BackwardStackSteps), Format(t), Format(LayerTypePlan.StackBudgetBytes / 1024)));
                    }
                }
            }
        }

        foreach (string member in candidate.ConflictingMembers)
        {
            problems.Add(new LstmProblem(
                DiagnosticIds.MemberConflict, ProblemTarget.Member, 0, member,
                ImmutableArray.Create(typeName, member).ToEquatableArray()));
        }

        return problems.ToImmutable();
    }

    /// <summary>The type-level rules of a <c>[RecurrentModel]</c> use (the file's own problems come from reading it).</summary>
    public static ImmutableArray<LstmProblem> ValidateModel(ModelCandidate candidate)
    {
        var problems = ImmutableArray.CreateBuilder<LstmProblem>();
        string typeName = candidate.Type.TypeName;
        foreach (string type in candidate.NonPartialTypes)
        {
            problems.Add(new LstmProblem(
                DiagnosticIds.NotPartial, ProblemTarget.TypeIdentifier, 0, type,
                ImmutableArray.Create(type, typeName, "recurrent model").ToEquatableArray()));
        }

        CheckShape(problems, typeName, "RecurrentModel", candidate.IsGeneric, candidate.IsStatic, candidate.IsAbstract, candidate.IsRecord, candidate.IsFileLocal);
        CheckModelAttributes(problems, typeName, candidate.ModelAttributes);
        CheckTarget(problems, typeName, candidate.HasVector512, candidate.LanguageVersion);
        if (candidate.Path is null)
        {
            problems.Add(new LstmProblem(DiagnosticIds.Unreadable, ProblemTarget.AttributeArgument, 0, string.Empty, EquatableArray<string>.Empty));
        }
        else if (candidate.Path.Trim().Length == 0)
        {
            problems.Add(new LstmProblem(
                DiagnosticIds.UnreadableModelFile, ProblemTarget.AttributeArgument, 0, string.Empty,
                ImmutableArray.Create(candidate.Path, "the path is empty or null; give the model file's path relative to the project directory, e.g. \"Models/amp.json\"").ToEquatableArray()));
        }

        foreach (string member in candidate.ConflictingMembers)
        {
            problems.Add(new LstmProblem(
                DiagnosticIds.MemberConflict, ProblemTarget.Member, 0, member,
                ImmutableArray.Create(typeName, member).ToEquatableArray()));
        }

        return problems.ToImmutable();
    }

    /// <summary>A model file's problem as a finding on the attribute's path argument.</summary>
    public static LstmProblem? FileProblem(ModelFileResult result)
        => result.Network is null ? new LstmProblem(result.ProblemId, ProblemTarget.AttributeArgument, 0, string.Empty, result.ProblemArguments) : null;

    /// <summary>LSTM003: the kinds of type a generated model cannot be.</summary>
    public static void CheckShape(ImmutableArray<LstmProblem>.Builder problems, string typeName, string attribute, bool isGeneric, bool isStatic, bool isAbstract, bool isRecord, bool isFileLocal)
    {
        string? reason =
            isGeneric ? "it is generic (sizes and kernels are generated per closed type)" :
            isStatic ? "it is static (each instance owns its parameters)" :
            isAbstract ? "it is abstract (the generated members need a concrete type)" :
            isRecord ? "it is a record (value equality over a parameter buffer is misleading)" :
            isFileLocal ? "it is file-local (the generated part is a different file, so it would be a different type)" :
            null;
        if (reason is not null)
        {
            problems.Add(Problem(DiagnosticIds.UnsupportedType, ProblemTarget.TypeIdentifier, typeName, reason, attribute));
        }
    }

    /// <summary>LSTM015: one model attribute per type.</summary>
    public static void CheckModelAttributes(ImmutableArray<LstmProblem>.Builder problems, string typeName, EquatableArray<string> attributes)
    {
        var distinct = new List<string>();
        foreach (string name in attributes)
        {
            if (!distinct.Contains(name))
            {
                distinct.Add(name);
            }
        }

        if (distinct.Count > 1)
        {
            problems.Add(Problem(DiagnosticIds.ConflictingAttributes, ProblemTarget.TypeIdentifier, typeName, "[" + string.Join("], [", distinct) + "]"));
        }
    }

    /// <summary>LSTM008 and LSTM009: the target framework and language version.</summary>
    public static void CheckTarget(ImmutableArray<LstmProblem>.Builder problems, string typeName, bool hasVector512, int languageVersion)
    {
        if (!hasVector512)
        {
            problems.Add(Problem(DiagnosticIds.MissingVector512, ProblemTarget.Attribute, typeName));
        }

        if (languageVersion < MinimumLanguageVersion)
        {
            problems.Add(Problem(DiagnosticIds.LanguageVersionTooLow, ProblemTarget.Attribute, typeName, FormatLanguageVersion(languageVersion)));
        }
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
    public static LayerSpec? ToSpec(LayerCandidate candidate)
    {
        if (CountOf(candidate.ModelAttributes, CellDescriptor.For(candidate.Cell).AttributeName) != 1 || HasErrors(Validate(candidate)))
        {
            // Duplicate [Lstm] is already a compiler error (CS0579); generating would add a cascade.
            return null;
        }

        return new LayerSpec(candidate.Cell, candidate.Type, candidate.InputSize!.Value, candidate.HiddenSize!.Value, candidate.SequenceLength!.Value);
    }

    private static int CountOf(EquatableArray<string> names, string name)
    {
        int count = 0;
        foreach (string n in names)
        {
            if (n == name)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Parses <c>LstmGenInstructionSets</c>: <c>Avx512</c>, <c>Avx2</c>, <c>Vector128</c>, <c>Scalar</c> separated by
    /// <c>;</c> or <c>,</c> (case-insensitive). Missing or blank means all. Returns an empty array when the value is invalid.
    /// </summary>
    public static EquatableArray<Isa> ParseInstructionSets(string? value)
    {
        if (value is null || value.Trim().Length == 0)
        {
            return LayerPlanner.AllPaths;
        }

        var kept = new HashSet<Isa>();
        foreach (string raw in value.Split(';', ','))
        {
            string part = raw.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            Isa? isa = part.ToUpperInvariant() switch
            {
                "AVX512" => Isa.Vector512,
                "AVX2" => Isa.Vector256,
                "VECTOR128" => Isa.Vector128,
                "SCALAR" => Isa.Scalar,
                _ => null,
            };
            if (isa is null)
            {
                return EquatableArray<Isa>.Empty;
            }

            kept.Add(isa.Value);
        }

        var ordered = new List<Isa>();
        foreach (Isa isa in LayerPlanner.AllPaths)
        {
            if (kept.Contains(isa))
            {
                ordered.Add(isa);
            }
        }

        return ordered.ToEquatableArray();
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

    public static LstmProblem Problem(string id, ProblemTarget target, params string[] arguments)
        => new(id, target, 0, string.Empty, arguments.ToEquatableArray());

    public static LstmProblem Problem(string id, ProblemTarget target, int argumentIndex, params string[] arguments)
        => new(id, target, argumentIndex, string.Empty, arguments.ToEquatableArray());

    private static string FormatLanguageVersion(int version) =>
        version % 100 == 0
            ? (version / 100).ToString(CultureInfo.InvariantCulture)
            : $"{version / 100}.{version % 100}";

    public static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
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
    public const string ModelFileNotFound = "LSTM010";
    public const string UnreadableModelFile = "LSTM011";
    public const string ModelTensorShape = "LSTM012";
    public const string UnexpectedModelTensor = "LSTM012";
    public const string UnsupportedModelContent = "LSTM013";
    public const string ModelMetadataMismatch = "LSTM014";
    public const string ConflictingAttributes = "LSTM015";
    public const string InvalidInstructionSets = "LSTM016";

    /// <summary>An argument that is not a constant: the compiler already reports it; never surfaced.</summary>
    public const string Unreadable = "LSTM000";

    public static bool IsError(string id) => id switch
    {
        StackBudget => false,
        RemainderPath => false,
        _ => true,
    };
}
