using System.Linq;
using LstmGen.Generator.Cells;

namespace LstmGen.Generator.Planning;

/// <summary>The hardware paths of the dispatch, widest first.</summary>
internal enum Isa
{
    /// <summary>512-bit vectors (AVX-512): 32 vector registers.</summary>
    Vector512,

    /// <summary>256-bit vectors (AVX2): 16 vector registers.</summary>
    Vector256,

    /// <summary>128-bit vectors (SSE, AdvSimd).</summary>
    Vector128,

    /// <summary>No SIMD acceleration.</summary>
    Scalar,
}

/// <summary>
/// L consecutive hidden units handled by one vector per slot. The last vector of a group whose width is not a
/// multiple of L is <em>shifted</em> back so it ends at the group's last unit: its first
/// <see cref="OverlapLanes"/> lanes then belong to units another vector already covers (they may even read the
/// previous gate's weights), so those lanes are computed but never stored (the stores blend them out).
/// </summary>
/// <param name="Group">The hidden-unit group.</param>
/// <param name="FirstUnit">The unit in lane 0.</param>
/// <param name="OverlapLanes">Leading lanes not to store (0 for an ordinary vector).</param>
/// <param name="OffsetInPanel">Where lane 0 of gate 0 sits in a panel row; gate g adds g·<see cref="GateStride"/>. May be negative (then it reads the previous row's end).</param>
/// <param name="GateStride">Columns between two gates of this group: the group's width.</param>
/// <param name="Paired">
/// The group is half a vector wide and each vector holds two slots, 2k in its lower half and 2k + 1 in its upper half
/// (their gates are adjacent in the layout, so one load covers both): half the accumulators and multiply-adds of a
/// shifted column. Only for cells that <see cref="CellDescriptor.PairsSlots"/>.
/// </param>
internal sealed record VectorColumn(int Group, int FirstUnit, int OverlapLanes, int OffsetInPanel, int GateStride, bool Paired = false)
{
    public bool IsShifted => OverlapLanes > 0;

    public int Offset(int gate) => OffsetInPanel + gate * GateStride;

    /// <summary>The slots that begin an accumulator vector, of <paramref name="slots"/>: all of them, or every first of a pair.</summary>
    public int[] VectorSlots(int[] slots) => Paired ? System.Array.FindAll(slots, s => s % 2 == 0) : slots;

    /// <summary>The same units seen as an ordinary shifted vector (its first half belongs to the previous group), for code that works on single slots.</summary>
    public VectorColumn AsShifted(int lanes) => Paired
        ? new VectorColumn(Group, FirstUnit + GateStride - lanes, lanes - GateStride, OffsetInPanel + GateStride - lanes, GateStride)
        : this;
}

/// <summary>
/// One pass of a step kernel: the vector columns whose accumulators are live at once while the panel's rows stream
/// past. A pass with a <see cref="Loop"/> stands for that many identical passes over consecutive full groups; its
/// columns are then relative to each iteration's first unit and column (the loop computes those).
/// </summary>
/// <param name="Panel">The panel whose rows are read (of the first iteration).</param>
/// <param name="Columns">Its vector columns, in unit order.</param>
/// <param name="Loop">How the pass repeats, or null for a pass emitted once with absolute positions.</param>
internal sealed record KernelPass(int Panel, EquatableArray<VectorColumn> Columns, PassLoop? Loop = null)
{
    public int FirstUnit => Columns[0].FirstUnit;

    /// <summary>Passes this entry stands for.</summary>
    public int Count => Loop?.Count ?? 1;
}

/// <summary>
/// A run of identical passes over full groups: iteration <c>pass</c> covers group
/// <c>FirstGroup + pass / SubPasses · GroupsPerPass</c> (and the next GroupsPerPass − 1), from sub-vector
/// <c>pass % SubPasses · ColumnsPerPass</c> of it when a pass covers part of a group.
/// </summary>
/// <param name="Count">Iterations.</param>
/// <param name="FirstGroup">The first iteration's first group.</param>
/// <param name="GroupsPerPass">Whole groups per iteration (1 when a pass covers part of a group).</param>
/// <param name="SubPasses">Iterations per group (1 when a pass covers whole groups).</param>
/// <param name="SubPassUnits">Units (and packed columns) between two iterations within a group.</param>
/// <param name="InFullPanels">All its groups lie in full panels (panel stride constant); otherwise all lie in the last panel.</param>
internal sealed record PassLoop(int Count, int FirstGroup, int GroupsPerPass, int SubPasses, int SubPassUnits, bool InFullPanels);

/// <summary>How one hardware path runs a layer: vector width, passes, and the strategies that depend on them.</summary>
/// <param name="Isa">The path.</param>
/// <param name="Lanes">Floats per vector (1: scalar loops).</param>
/// <param name="AccumulatorBudget">Vector accumulators a pass may keep live.</param>
/// <param name="Passes">The step kernel's passes, in order.</param>
/// <param name="SharesKernelWith">A wider path whose kernels are identical (same lanes and passes), or null.</param>
internal sealed record PathPlan(Isa Isa, int Lanes, int AccumulatorBudget, EquatableArray<KernelPass> Passes, Isa? SharesKernelWith)
{
    public bool IsScalar => Lanes == 1;

    /// <summary>One pass, run once, holds everything: all of h_{t-1} is read before any h_t is written, so h may be updated in place.</summary>
    public bool SinglePass => Passes.Count == 1 && Passes[0].Count == 1;

    /// <summary>
    /// The kernel has one pass body (run once or in a loop): small enough for the JIT to inline every activation, so the
    /// cell update runs straight from the accumulator registers. Kernels with several pass bodies store the
    /// pre-activations and call a cell-update method instead (past a certain size the JIT stops inlining, and a call
    /// per vector operation would be far slower than one store and reload per pre-activation).
    /// </summary>
    public bool UpdateInRegisters => Passes.Count == 1;

    /// <summary>32 vector registers (AVX-512), so a register block may be twice as large as with 16.</summary>
    public bool HasManyRegisters => AccumulatorBudget >= LayerPlanner.Accumulators32Registers;

    /// <summary>States whose accumulators share each loaded weight vector in the batched step.</summary>
    public int StatesPerBlock => HasManyRegisters ? 4 : 2;

    /// <summary>Steps whose input projections share each loaded weight vector.</summary>
    public int ProjectionStepsAtOnce => HasManyRegisters ? 4 : 2;

    /// <summary>
    /// The runtime's gradient row-block helpers for this vector width (<c>LstmGen.Kernels.GradientKernels</c>): their name
    /// suffix and how many rows one call takes. Keyed by the lanes, not the path: a path may run narrower vectors.
    /// </summary>
    public (string Suffix, int Rows) GradientKernels => Lanes switch
    {
        16 => ("512", 4),
        8 => ("256", 2),
        _ => ("128", 2),
    };

    /// <summary>The suffix of this path's kernel names: <c>512</c>, <c>256</c>, <c>128</c>, <c>Scalar</c>.</summary>
    public string Suffix => Lanes == 1 ? "Scalar" : Isa switch
    {
        Isa.Vector512 => "512",
        Isa.Vector256 => "256",
        Isa.Vector128 => "128",
        _ => "Scalar",
    };

    /// <summary>The condition the dispatch tests (a JIT-time constant), or empty for the fallback.</summary>
    public string Condition => Isa switch
    {
        Isa.Vector512 => "global::System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated",
        Isa.Vector256 => "global::System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated",
        Isa.Vector128 => "global::System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated",
        _ => string.Empty,
    };

    public string Description => Isa switch
    {
        Isa.Vector512 => "512-bit vectors (AVX-512)",
        Isa.Vector256 => "256-bit vectors (AVX2)",
        Isa.Vector128 => "128-bit vectors (SSE, AdvSimd)",
        _ => "scalar code",
    };
}

/// <summary>Everything about one layer's kernels: the identity of a kernel class shared by all types of that shape.</summary>
/// <param name="Cell">LSTM or GRU.</param>
/// <param name="Layout">The parameter layout.</param>
/// <param name="Paths">The hardware paths kept (see <c>LstmGenInstructionSets</c>), widest first.</param>
/// <param name="ProjectionBlockSteps">Steps whose input projections a sequence loop computes at once (0: the sequence loops run the step kernel).</param>
/// <param name="AggressiveOptimization">Whether hot methods carry <c>[MethodImpl(AggressiveOptimization)]</c>.</param>
/// <param name="SkipLocalsInit">Whether hot methods carry <c>[SkipLocalsInit]</c> (only with unsafe code allowed).</param>
internal sealed record LayerPlan(
    CellKind Cell,
    PanelLayout Layout,
    EquatableArray<PathPlan> Paths,
    int ProjectionBlockSteps,
    bool AggressiveOptimization,
    bool SkipLocalsInit)
{
    public CellDescriptor Descriptor => CellDescriptor.For(Cell);

    public int InputSize => Layout.InputSize;

    public int HiddenSize => Layout.HiddenSize;

    public int ColumnCount => Layout.ColumnCount;

    public bool UsesInputProjection => ProjectionBlockSteps > 0;

    public TapeRowLayout TapeRow => Descriptor.TapeRow(HiddenSize);

    /// <summary>
    /// Tape rows the parameter and input gradients take at a time: as many as keep their dz (Columns floats each) within
    /// 32 KiB, a power of two from 16 to 256, so that every gradient row block finds them in L1 however many rows a batch has.
    /// </summary>
    public int GradientChunkRows
    {
        get
        {
            int rows = 16;
            while (rows < 256 && rows * 2 * ColumnCount * sizeof(float) <= 32 * 1024)
            {
                rows *= 2;
            }

            return rows;
        }
    }

    /// <summary>
    /// Whether the sequence loops read W_hh last row first on odd steps, so that each step starts with the rows the
    /// previous one left in the cache: when W_hh is at most 96 KiB (much of it stays in a 32–48 KiB L1) or at least
    /// 512 KiB (with the other parameters it spills out of a 1 MiB L2, and what stays there is reused). In between, W_hh
    /// is read from L2 either way and backwards it only loses the prefetcher (measured at (64, 128): 1,600 ns per step
    /// against 1,487 ns in order).
    /// </summary>
    public bool AlternatesRecurrentRows => RecurrentWeightBytes <= NearL1Bytes || RecurrentWeightBytes >= 512 * 1024;

    /// <summary>W_hh's bytes, which every recurrent step (forward and backward) reads.</summary>
    public long RecurrentWeightBytes => (long)ColumnCount * HiddenSize * sizeof(float);

    /// <summary>Up to this size W_hh about fits L1 (32–48 KiB): much of it is still there when the next step starts.</summary>
    public const long NearL1Bytes = 96 * 1024;

    /// <summary>Rows per block of the one-sequence W_hhᵀ·dz that reads W_hh's rows in order.</summary>
    public const int HiddenRowsInOrderBlock = 8;

    /// <summary>
    /// Whether one sequence's W_hhᵀ·dz keeps a panel's dz in registers and reads the rows one after another (one
    /// stream): 32 registers (a panel's ≤ 16 dz vectors, 8 sums, 2 chains) and 16 lanes (the 8-row shuffle tree). It
    /// pays where W_hh streams from L2 on every step (over 96 KiB: at (64, 128) 1.08× a plain read of W_hh against
    /// 1.33× for 16 rows side by side), and where H % 16 ≥ 8 would leave 8 or more rows to one-row dot products (LSTM
    /// (1, 40): Backward 7.9–8.3 µs against 8.3–9.1). Where W_hh about fits L1, 16 rows side by side in alternating
    /// directions reuse it better (GRU (16, 64), 48 KiB: Backward 15.9–16.3 µs against 16.5–17.4).
    /// </summary>
    public bool ReadsHiddenRowsInOrder(PathPlan path)
        => path.Lanes == 16 && path.HasManyRegisters && HiddenSize >= HiddenRowsInOrderBlock
            && Enumerable.Range(0, Layout.PanelCount).All(p => (Layout.PanelWidth(p) + 15) / 16 <= 16)
            && (RecurrentWeightBytes > NearL1Bytes || HiddenSize % 16 >= HiddenRowsInOrderBlock);

    /// <summary>
    /// Whether ∂L/∂x runs panel by panel (each panel adding its share): with several panels, a block of W_ih's rows is
    /// then one panel's part of them and stays in L1 while a chunk's dz pass ((32, 256): 954 → 347 ns per step).
    /// </summary>
    public bool InputGradientsByPanel => Layout.PanelCount > 1;

    /// <summary>The shared kernel class: <c>Lstm_I16_H64</c>.</summary>
    public string KernelClassName => $"{Descriptor.AttributeName}_I{InputSize}_H{HiddenSize}";
}
