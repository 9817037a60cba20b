using System;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Planning;

/// <summary>The plan of one <c>[Lstm]</c>/<c>[Gru]</c> type: its layer's kernels plus the sizes of its training buffers.</summary>
/// <param name="Type">Where the type lives.</param>
/// <param name="SequenceLength">The attribute's sequence length.</param>
/// <param name="Layer">The layer's kernels (shared by every type of the same cell and sizes).</param>
internal sealed record LayerTypePlan(TypeShape Type, int SequenceLength, LayerPlan Layer)
{
    /// <summary>Stack bytes a generated method may use for Backward's workspace before it takes a pooled array instead.</summary>
    public const int StackBudgetBytes = 256 * 1024;

    public CellDescriptor Cell => Layer.Descriptor;

    public int TapeStride => Layer.TapeRow.Stride;

    /// <summary>Tape floats for <paramref name="steps"/> steps: the header, row -1 (the initial state), one row per step.</summary>
    public long TapeFloats(int steps) => LstmGen.Generator.Planning.TapeGeometry.HeaderLength + (long)(steps + 1) * TapeStride;

    public int TapeLength => (int)TapeFloats(SequenceLength);

    /// <summary>The gradients flowing back through the state during the backward pass: ∂L/∂h (and ∂L/∂c).</summary>
    public int ScratchFloats => (Cell.HasCellState ? 2 : 1) * Layer.HiddenSize;

    public int BackwardWorkspaceLength => TapeLength + ScratchFloats;

    /// <summary>
    /// The one stack-budget formula: Backward without a workspace keeps its workspace (this call's tape plus the
    /// state gradients) on the stack for up to this many steps, and rents a pooled array beyond. LSTM005 warns
    /// exactly when SequenceLength exceeds it.
    /// </summary>
    public int BackwardStackSteps
    {
        get
        {
            long budget = StackBudgetBytes / sizeof(float) - TapeGeometry.HeaderLength - ScratchFloats;
            long steps = budget / TapeStride - 1;
            return (int)Math.Max(0, Math.Min(SequenceLength, steps));
        }
    }
}

/// <summary>Tape constants shared by the planner and the runtime's <c>LstmGen.Kernels.TapeHeader</c>.</summary>
internal static class TapeGeometry
{
    /// <summary>Floats before a tape's first row (<c>TapeHeader.Length</c>).</summary>
    public const int HeaderLength = 16;
}
