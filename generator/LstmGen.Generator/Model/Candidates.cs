using LstmGen.Generator.Cells;

namespace LstmGen.Generator.Model;

/// <summary>
/// Everything the rules need to know about one <c>[Lstm]</c>/<c>[Gru]</c> use, as plain data (no symbols), so the
/// analyzer and the generator run the same checks on the same facts.
/// </summary>
/// <param name="Cell">Which attribute: LSTM or GRU.</param>
/// <param name="Type">Where the type lives.</param>
/// <param name="NonPartialTypes">Types of the chain (the type and its containers) lacking <c>partial</c>.</param>
/// <param name="IsGeneric">The type has type parameters.</param>
/// <param name="IsStatic">The type is static.</param>
/// <param name="IsAbstract">The type is abstract.</param>
/// <param name="IsRecord">The type is a record.</param>
/// <param name="IsFileLocal">The type is file-local.</param>
/// <param name="ModelAttributes">Every LstmGen model attribute on the type (<c>Lstm</c>, <c>Gru</c>, <c>RecurrentModel</c>), in source order.</param>
/// <param name="InputSize">The inputSize argument, or null if not a constant.</param>
/// <param name="HiddenSize">The hiddenSize argument, or null if not a constant.</param>
/// <param name="SequenceLength">The sequenceLength argument, or null if not a constant.</param>
/// <param name="ConflictingMembers">User members whose names the generator emits.</param>
/// <param name="HasVector512">The target framework has <c>Vector512</c> (.NET 8+).</param>
/// <param name="LanguageVersion">The C# language version, as Roslyn's enum value.</param>
internal sealed record LayerCandidate(
    CellKind Cell,
    TypeShape Type,
    EquatableArray<string> NonPartialTypes,
    bool IsGeneric,
    bool IsStatic,
    bool IsAbstract,
    bool IsRecord,
    bool IsFileLocal,
    EquatableArray<string> ModelAttributes,
    int? InputSize,
    int? HiddenSize,
    int? SequenceLength,
    EquatableArray<string> ConflictingMembers,
    bool HasVector512,
    int LanguageVersion);

/// <summary>Everything the rules need to know about one <c>[RecurrentModel]</c> use, as plain data.</summary>
/// <param name="Type">Where the type lives.</param>
/// <param name="NonPartialTypes">Types of the chain lacking <c>partial</c>.</param>
/// <param name="IsGeneric">The type has type parameters.</param>
/// <param name="IsStatic">The type is static.</param>
/// <param name="IsAbstract">The type is abstract.</param>
/// <param name="IsRecord">The type is a record.</param>
/// <param name="IsFileLocal">The type is file-local.</param>
/// <param name="ModelAttributes">Every LstmGen model attribute on the type.</param>
/// <param name="Path">The model file path argument, or null if it is not a constant string.</param>
/// <param name="ConflictingMembers">User members whose names the generator emits.</param>
/// <param name="HasVector512">The target framework has <c>Vector512</c>.</param>
/// <param name="LanguageVersion">The C# language version.</param>
internal sealed record ModelCandidate(
    TypeShape Type,
    EquatableArray<string> NonPartialTypes,
    bool IsGeneric,
    bool IsStatic,
    bool IsAbstract,
    bool IsRecord,
    bool IsFileLocal,
    EquatableArray<string> ModelAttributes,
    string? Path,
    EquatableArray<string> ConflictingMembers,
    bool HasVector512,
    int LanguageVersion);

/// <summary>A <c>[RecurrentModel]</c> whose type and file are both valid: the network to plan.</summary>
internal sealed record ModelSpec(TypeShape Type, string Path, NetworkSpec Network);

/// <summary>A valid <c>[Lstm]</c>/<c>[Gru]</c> configuration: the planner's input.</summary>
internal sealed record LayerSpec(CellKind Cell, TypeShape Type, int InputSize, int HiddenSize, int SequenceLength);

/// <summary>Settings from MSBuild and the compilation that apply to every generated file.</summary>
/// <param name="AggressiveOptimization"><c>LstmGenAggressiveOptimization</c> (default true).</param>
/// <param name="SkipLocalsInit">Unsafe code is allowed, so <c>[SkipLocalsInit]</c> may be emitted.</param>
/// <param name="InstructionSets">The kept paths of <c>LstmGenInstructionSets</c>, or empty when its value is invalid.</param>
/// <param name="InstructionSetsText">The property's raw value, for the diagnostic.</param>
internal sealed record GeneratorOptions(bool AggressiveOptimization, bool SkipLocalsInit, EquatableArray<LstmGen.Generator.Planning.Isa> InstructionSets, string InstructionSetsText)
{
    public bool IsValid => InstructionSets.Count > 0;
}

/// <summary>Where a problem is reported: the analyzer maps this to a source location.</summary>
internal enum ProblemTarget
{
    /// <summary>The identifier of the type carrying the attribute (or, with a member name, of that type in the chain).</summary>
    TypeIdentifier,

    /// <summary>The attribute.</summary>
    Attribute,

    /// <summary>One argument of the attribute; <see cref="LstmProblem.ArgumentIndex"/> says which.</summary>
    AttributeArgument,

    /// <summary>A member of the user's type; <see cref="LstmProblem.MemberName"/> says which.</summary>
    Member,
}

/// <summary>One validation finding, as data: a diagnostic ID, where to report it and its message arguments.</summary>
internal sealed record LstmProblem(
    string Id,
    ProblemTarget Target,
    int ArgumentIndex,
    string MemberName,
    EquatableArray<string> MessageArguments);
