using System.Collections.Immutable;

namespace LstmGen.Generator.Validation;

/// <summary>
/// The one registry of the member names the generator emits into a user's type. The emitters print these
/// constants, the member-clash rule (LSTM006) checks user members against the lists, and a test compares the lists
/// with the members a compiled generated type really has.
/// </summary>
internal static class GeneratedMembers
{
    public const string InputSize = nameof(InputSize);
    public const string HiddenSize = nameof(HiddenSize);
    public const string SequenceLength = nameof(SequenceLength);
    public const string ParameterCount = nameof(ParameterCount);
    public const string TapeLength = nameof(TapeLength);
    public const string BackwardWorkspaceLength = nameof(BackwardWorkspaceLength);
    public const string BackwardStackSteps = nameof(BackwardStackSteps);
    public const string Parameters = nameof(Parameters);
    public const string Gradients = nameof(Gradients);
    public const string InitializeParameters = nameof(InitializeParameters);
    public const string ImportPyTorch = nameof(ImportPyTorch);
    public const string ExportPyTorch = nameof(ExportPyTorch);
    public const string Step = nameof(Step);
    public const string Forward = nameof(Forward);
    public const string Backward = nameof(Backward);
    public const string BackwardFromTape = nameof(BackwardFromTape);
    public const string ZeroGradients = nameof(ZeroGradients);
    public const string ExportGradientsPyTorch = nameof(ExportGradientsPyTorch);
    public const string StepBatch = nameof(StepBatch);
    public const string ForwardBatch = nameof(ForwardBatch);
    public const string BackwardBatchFromTape = nameof(BackwardBatchFromTape);
    public const string BatchTapeLength = nameof(BatchTapeLength);

    // Private members: named so they cannot be mistaken for the user's.
    public const string LayoutField = "LstmGenLayout";
    public const string ParametersField = "_lstmGenParameters";
    public const string GradientsField = "_lstmGenGradients";
    public const string InstanceField = "_lstmGenInstance";
    public const string TapeStride = "LstmGenTapeStride";
    public const string ScratchFloats = "LstmGenScratchFloats";
    public const string Record = "LstmGenRecord";
    public const string BackwardCore = "LstmGenBackwardCore";
    public const string CreateGradients = "LstmGenCreateGradients";
    public const string StepFromCopy = "LstmGenStepFromCopy";

    /// <summary>Every name an <c>[Lstm]</c> or <c>[Gru]</c> type receives.</summary>
    public static readonly ImmutableArray<string> Layer = ImmutableArray.Create(
        InputSize, HiddenSize, SequenceLength, ParameterCount, TapeLength, BackwardWorkspaceLength, BackwardStackSteps,
        Parameters, Gradients, InitializeParameters, ImportPyTorch, ExportPyTorch, Step, Forward, Backward,
        BackwardFromTape, ZeroGradients, ExportGradientsPyTorch, StepBatch, ForwardBatch, BackwardBatchFromTape, BatchTapeLength,
        LayoutField, ParametersField, GradientsField, InstanceField, TapeStride, ScratchFloats, Record, BackwardCore, CreateGradients, StepFromCopy);
}

/// <summary>The registry of member names the generator emits into a <c>[RecurrentModel]</c> type (see <see cref="GeneratedMembers"/>).</summary>
internal static class ModelMembers
{
    public const string InputSize = nameof(InputSize);
    public const string OutputSize = nameof(OutputSize);
    public const string StateLength = nameof(StateLength);
    public const string ParameterCount = nameof(ParameterCount);
    public const string SampleRate = nameof(SampleRate);
    public const string Process = nameof(Process);
    public const string Reset = nameof(Reset);

    public const string WeightsData = "LstmGenWeights";
    public const string InitialStateData = "LstmGenInitialState";
    public const string ParametersField = "_lstmGenParameters";
    public const string StateField = "_lstmGenState";
    public const string LoadParameters = "LstmGenLoadParameters";
    public const string CreateState = "LstmGenCreateState";
    public const string Sample = "LstmGenSample";

    /// <summary>Every name a <c>[RecurrentModel]</c> type may receive (SampleRate and the initial state only when the file has them).</summary>
    public static readonly ImmutableArray<string> All = ImmutableArray.Create(
        InputSize, OutputSize, StateLength, ParameterCount, SampleRate, Process, Reset,
        WeightsData, InitialStateData, ParametersField, StateField, LoadParameters, CreateState, Sample);
}
