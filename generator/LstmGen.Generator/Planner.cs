using System;
using System.Collections.Generic;
using System.Linq;

namespace LstmGen.Generator;

/// <summary>
/// How one kernel covers the hidden units with vectors, and how it blocks them for registers.
/// </summary>
/// <remarks>
/// The hidden units are split into groups of <see cref="Lanes"/> consecutive units. A group needs four
/// vector accumulators, one per gate (i, f, g, o), and those four hold everything its cell update needs.
/// When <c>HiddenSize</c> is not a multiple of <see cref="Lanes"/>, a tail group covers the last
/// <see cref="Lanes"/> units, overlapping the group before it: the overlapping lanes are computed twice
/// with identical operations, so they agree bit for bit and no scalar remainder loop is needed.
/// Groups are processed in chunks of at most <see cref="GroupsPerChunk"/>: each chunk streams every weight
/// row once, with all its accumulators in registers, then updates its units' cells straight from them.
/// </remarks>
/// <param name="Lanes">Floats per vector: 16, 8 or 4; 1 is the scalar kernel.</param>
/// <param name="FullGroups"><c>HiddenSize / Lanes</c>.</param>
/// <param name="HasTailGroup">Whether an overlapping group covers the last units.</param>
/// <param name="GroupsPerChunk">Groups whose accumulators are live at once.</param>
/// <param name="LoopChunks">Chunks of <see cref="GroupsPerChunk"/> full groups, run by a loop.</param>
/// <param name="FinalChunkFullGroups">Full groups left for the final chunk, which also takes the tail group.</param>
internal sealed record KernelPlan(
    int Lanes,
    int FullGroups,
    bool HasTailGroup,
    int GroupsPerChunk,
    int LoopChunks,
    int FinalChunkFullGroups)
{
    public bool IsScalar => Lanes == 1;

    public int FinalChunkGroups => FinalChunkFullGroups + (HasTailGroup ? 1 : 0);

    public int ChunkCount => LoopChunks + (FinalChunkGroups > 0 ? 1 : 0);

    /// <summary>A later chunk reads h_{t-1} after an earlier chunk wrote h_t: the two must not share memory.</summary>
    public bool NeedsSeparateHiddenOutput => !IsScalar && ChunkCount > 1;

    /// <summary>The tail group reads c_{t-1} on lanes the group before it already overwrote with c_t.</summary>
    public bool NeedsSeparateCellOutput => !IsScalar && HasTailGroup;

    /// <summary>
    /// One chunk holds every group, so the kernel is small enough for the JIT to inline every activation: the cell
    /// update then runs straight from the accumulator registers. Larger kernels store the pre-activations and call a
    /// separate cell-update method, because past a certain size the JIT stops inlining (and a call per vector
    /// operation would be far slower than one store and reload per pre-activation).
    /// </summary>
    public bool CellUpdateInRegisters => !IsScalar && ChunkCount == 1;

    /// <summary>
    /// Small kernels are bound by latency, not throughput: each accumulator's chain of dependent multiply-adds is
    /// what a step waits for. With at most 8 accumulators there are registers for a second set: alternate rows go to
    /// alternate sets, halving the chains.
    /// </summary>
    public bool SplitAccumulation => CellUpdateInRegisters && 4 * (LoopChunks * GroupsPerChunk + FinalChunkGroups) <= 8;

    /// <summary>The kernel's method-name suffix, e.g. <c>16Lanes4Groups</c> or <c>Scalar</c>.</summary>
    public string Suffix => IsScalar ? "Scalar" : $"{Lanes}Lanes{GroupsPerChunk}Groups";

    public int VectorBits => Lanes * 32;
}

/// <summary>
/// How the backward pass covers a row of 4H gate columns with vectors: for the products with <c>dz</c>
/// (<c>W_ihᵀ·dz</c>, <c>W_hhᵀ·dz</c>) and the parameter-gradient accumulation.
/// </summary>
/// <remarks>
/// <see cref="FullVectors"/> vectors cover the row from column 0; when 4H is not a multiple of
/// <see cref="Lanes"/>, one more vector ends exactly at column 4H and overlaps the last full one. Its
/// overlapping lanes are masked out (zeroed in dot products, not added twice in accumulations), so only
/// its <see cref="TailNewLanes"/> last lanes count.
/// </remarks>
/// <param name="Lanes">Floats per vector; 1 is the scalar code.</param>
/// <param name="GateCount">4H, the row length.</param>
/// <param name="FullVectors">Vectors starting at 0, Lanes, 2·Lanes, …</param>
/// <param name="VectorsPerChunk">Gradient accumulators kept in registers at once.</param>
/// <param name="ProjectionSteps">Time steps whose input projections share each loaded weight vector (register blocking over time).</param>
/// <param name="ProjectionVectors">Column vectors per register block of the input projection.</param>
internal sealed record ColumnPlan(int Lanes, int GateCount, int FullVectors, int VectorsPerChunk, int ProjectionSteps, int ProjectionVectors)
{
    public bool IsScalar => Lanes == 1;

    public int TailNewLanes => IsScalar ? 0 : GateCount - FullVectors * Lanes;

    public bool HasTail => TailNewLanes > 0;

    public int TailOffset => GateCount - Lanes;

    public int VectorBits => Lanes * 32;

    /// <summary>Method-name suffix, e.g. <c>16Lanes4x4</c>: the lanes and the projection's steps × vectors register block.</summary>
    public string Suffix => IsScalar ? "Scalar" : $"{Lanes}Lanes{ProjectionSteps}x{ProjectionVectors}";
}

/// <summary>One hardware path of the dispatch: the JIT keeps exactly one of them.</summary>
/// <param name="Condition">The JIT-time constant tested, or empty for the final fallback.</param>
/// <param name="Description">What the path is, for comments.</param>
/// <param name="Kernel">The forward kernel this path runs (also the lane groups of the backward cell update).</param>
/// <param name="Columns">How this path's backward pass vectorizes over the 4H gate columns.</param>
internal sealed record IsaPath(string Condition, string Description, KernelPlan Kernel, ColumnPlan Columns)
{
    /// <summary>The backward driver's name suffix: its lane groups and its column vectors.</summary>
    public string BackwardSuffix => Kernel.IsScalar && Columns.IsScalar ? "Scalar" : $"{Kernel.Suffix}Columns{Columns.Suffix}";

    /// <summary>The sequence loops' name suffix: vector kernels project the inputs with the column vectors first.</summary>
    public string SequenceSuffix => Kernel.IsScalar ? "Scalar" : $"{Kernel.Suffix}Columns{Columns.Suffix}";
}

/// <summary>The planner's output: every size, offset, blocking and stack decision, as plain data.</summary>
internal sealed record LstmPlan(
    LstmSpec Spec,
    int GateCount,
    int ParameterCount,
    int WeightHhOffset,
    int BiasIhOffset,
    int BiasHhOffset,
    EquatableArray<IsaPath> Paths,
    EquatableArray<KernelPlan> Kernels,
    EquatableArray<ColumnPlan> ColumnPlans,
    int StepStackBytes,
    int ForwardStackBytes,
    int ProjectionBlockSteps,
    int TapeStride,
    int TapeLength,
    int BackwardScratchLength,
    long BackwardStackBytes)
{
    /// <summary>Whether the sequence loops project the inputs of a block of steps before running their recurrence.</summary>
    public bool UsesInputProjection => ProjectionBlockSteps > 0;

    /// <summary>Floats before the tape's first row: a small header identifying what recorded it.</summary>
    public const int TapeHeaderLength = 16;

    public int BackwardWorkspaceLength => TapeLength + BackwardScratchLength;

    public int InputSize => Spec.InputSize;

    public int HiddenSize => Spec.HiddenSize;

    public int SequenceLength => Spec.SequenceLength;
}

/// <summary>
/// Pure planning: from sizes to vector widths, register blocking and stack use. No Roslyn types, so it is
/// unit-tested directly, and the analyzer uses the same numbers the generator emits.
/// </summary>
internal static class Planner
{
    /// <summary>Vector accumulators kept live per chunk on a machine with 32 vector registers (AVX-512).</summary>
    public const int Accumulators32Registers = 16;

    /// <summary>Vector accumulators kept live per chunk with 16 vector registers (AVX2, SSE, NEON's lower half).</summary>
    public const int Accumulators16Registers = 12;

    public static LstmPlan Plan(LstmSpec spec)
    {
        int h = spec.HiddenSize;
        int i = spec.InputSize;
        int gates = 4 * h;
        long parameterCount = (long)gates * i + (long)gates * h + 2L * gates;
        if (parameterCount > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), "The validator must reject configurations whose parameters do not fit one array.");
        }

        var paths = new[]
        {
            new IsaPath("global::System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated", "512-bit vectors (AVX-512)", PlanKernel(h, maxLanes: 16, Accumulators32Registers), PlanColumns(h, 16, Accumulators32Registers)),
            new IsaPath("global::System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated", "256-bit vectors (AVX2)", PlanKernel(h, maxLanes: 8, Accumulators16Registers), PlanColumns(h, 8, Accumulators16Registers)),
            new IsaPath("global::System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated", "128-bit vectors (SSE, AdvSimd)", PlanKernel(h, maxLanes: 4, Accumulators16Registers), PlanColumns(h, 4, Accumulators16Registers)),
            new IsaPath(string.Empty, "scalar code (no SIMD acceleration)", PlanKernel(h, maxLanes: 1, Accumulators16Registers), PlanColumns(h, 1, Accumulators16Registers)),
        };

        // Paths with identical plans share one kernel method (e.g. H = 8 uses 8 lanes on both AVX-512 and AVX2).
        var kernels = new List<KernelPlan>();
        foreach (IsaPath path in paths)
        {
            if (!kernels.Contains(path.Kernel))
            {
                kernels.Add(path.Kernel);
            }
        }

        var columnPlans = new List<ColumnPlan>();
        foreach (IsaPath path in paths)
        {
            if (!columnPlans.Contains(path.Columns))
            {
                columnPlans.Add(path.Columns);
            }
        }

        // The input projection W_ih·x_t + b is computed for a block of steps before their recurrence: the W_ih rows
        // are then read once per block instead of once per step. A block's projections take about 16 KiB (at most
        // 32 steps), so they stay in L1 while the recurrence consumes them.
        // Above H = 1024 even 4 steps of projections would take more than 64 KiB of stack: the sequence loops then
        // run the full step kernel, as Step does (ProjectionBlockSteps = 0).
        // Below 32 KiB of weights everything stays in L1 anyway and a step is bound by latency: the sequence loops
        // then just run the step kernel (projection blocks and alternating traversal only add calls there).
        long weightBytes = (long)gates * (i + h) * sizeof(float);
        int projectionSteps = 4L * gates * sizeof(float) <= 64 * 1024 && weightBytes >= 32 * 1024
            ? Math.Max(4, Math.Min(32, 16 * 1024 / (4 * gates)) / 4 * 4)
            : 0;
        int stepStack = paths.Max(p => StepStackFloats(p.Kernel, h)) * sizeof(float);
        int forwardStack = paths.Max(p => ForwardStackFloats(p.Kernel, h) + (p.Kernel.IsScalar ? 0 : projectionSteps * gates)) * sizeof(float);

        // The tape: a header, then one row per step (plus row -1 holding h_0 and c_0), each
        // gates (4H: i | f | g | o, overwritten by dz in the backward pass) | c (H) | tanh(c) (H) | h (H).
        int stride = 7 * h;
        long tapeLength = LstmPlan.TapeHeaderLength + (long)(spec.SequenceLength + 1) * stride;
        int scratch = 2 * h; // dh flowing back from the next step, and dc
        long backwardStack = (tapeLength + scratch) * sizeof(float)
            + paths.Max(p => StepStackFloats(p.Kernel, h) + (p.Kernel.IsScalar ? 0 : projectionSteps * gates)) * (long)sizeof(float);
        if (tapeLength + scratch > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), "The validator must reject configurations whose tape does not fit one span.");
        }

        return new LstmPlan(
            spec,
            gates,
            (int)parameterCount,
            WeightHhOffset: gates * i,
            BiasIhOffset: gates * (i + h),
            BiasHhOffset: gates * (i + h + 1),
            paths.ToEquatableArray(),
            kernels.ToEquatableArray(),
            columnPlans.ToEquatableArray(),
            stepStack,
            forwardStack,
            projectionSteps,
            stride,
            (int)tapeLength,
            scratch,
            backwardStack);
    }

    /// <summary>
    /// The backward pass's vectors over the 4H gate columns: the widest the path has that fits in 4H.
    /// </summary>
    public static ColumnPlan PlanColumns(int hiddenSize, int maxLanes, int maxAccumulators)
    {
        int gates = 4 * hiddenSize;
        if (maxLanes == 1)
        {
            return new ColumnPlan(1, gates, gates, 1, 1, 1);
        }

        int lanes = maxLanes;
        while (lanes > gates)
        {
            lanes /= 2;
        }

        int full = gates / lanes;
        // 32 registers: 4 steps × 4 column vectors = 16 accumulators + 4 weight vectors + a broadcast.
        // 16 registers: 2 steps × 3 column vectors = 6 accumulators + 3 weight vectors + a broadcast.
        bool wide = maxAccumulators == Accumulators32Registers;
        return new ColumnPlan(lanes, gates, full, Math.Min(maxAccumulators, full),
            ProjectionSteps: wide ? 4 : 2, ProjectionVectors: wide ? 4 : 3);
    }

    /// <summary>
    /// Chooses the lane count and blocking of one path. The lane count minimizes the number of vector
    /// groups (so the number of multiply-adds per weight row); ties prefer no tail group, then wider vectors.
    /// Hidden sizes below 4 use the scalar kernel: a vector would be mostly empty.
    /// </summary>
    public static KernelPlan PlanKernel(int hiddenSize, int maxLanes, int maxAccumulators)
    {
        int lanes = 1;
        int bestGroups = int.MaxValue;
        foreach (int candidate in new[] { 16, 8, 4 })
        {
            if (candidate > maxLanes || candidate > hiddenSize)
            {
                continue;
            }

            int groups = (hiddenSize + candidate - 1) / candidate;
            bool better = groups < bestGroups
                || (groups == bestGroups && hiddenSize % candidate == 0 && hiddenSize % lanes != 0);
            if (better)
            {
                lanes = candidate;
                bestGroups = groups;
            }
        }

        if (lanes == 1)
        {
            return new KernelPlan(1, hiddenSize, false, 1, 0, 0);
        }

        int fullGroups = hiddenSize / lanes;
        bool tail = hiddenSize % lanes != 0;
        int totalGroups = fullGroups + (tail ? 1 : 0);
        int maxGroups = Math.Max(1, maxAccumulators / 4);
        int chunkCount = (totalGroups + maxGroups - 1) / maxGroups;

        // Balance the chunks: 8 groups with room for 3 become 3 + 3 + 2, not 3 + 3 + 1 + 1.
        int perChunk = (totalGroups + chunkCount - 1) / chunkCount;
        int loopChunks = fullGroups / perChunk;
        int finalFull = fullGroups - loopChunks * perChunk;
        return new KernelPlan(lanes, fullGroups, tail, perChunk, loopChunks, finalFull);
    }

    /// <summary>Stack floats <c>Step</c> needs: copies of h_{t-1}/c_{t-1} when the kernel cannot update them in place, or the scalar kernel's 4H pre-activations.</summary>
    public static int StepStackFloats(KernelPlan kernel, int hiddenSize)
    {
        if (kernel.IsScalar)
        {
            return 4 * hiddenSize;
        }

        return (kernel.NeedsSeparateHiddenOutput ? hiddenSize : 0) + (kernel.NeedsSeparateCellOutput ? hiddenSize : 0);
    }

    /// <summary>Stack floats <c>Forward</c> needs: a second cell buffer to alternate with when the kernel cannot update c in place, or the scalar kernel's 4H pre-activations.</summary>
    public static int ForwardStackFloats(KernelPlan kernel, int hiddenSize)
    {
        if (kernel.IsScalar)
        {
            return 4 * hiddenSize;
        }

        return kernel.NeedsSeparateCellOutput ? hiddenSize : 0;
    }
}
