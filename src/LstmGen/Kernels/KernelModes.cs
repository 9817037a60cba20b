namespace LstmGen.Kernels;

// Type arguments that specialize a generated kernel when the JIT compiles it: `typeof(T) == typeof(WithTape)` is a
// constant for a value type T, so each instantiation keeps only its own branch. One kernel text then serves the
// plain and the recording forward pass, and both traversal orders of the recurrent weights.

/// <summary>Kernel mode: only the state is updated.</summary>
public struct NoTape
{
}

/// <summary>Kernel mode: the step's activations are also recorded in a tape row for the backward pass.</summary>
public struct WithTape
{
}

/// <summary>Kernel mode: W_hh's rows (and the passes) are read first to last.</summary>
public struct RowsInOrder
{
}

/// <summary>Kernel mode: W_hh's rows (and the passes) are read last to first, so a step starts with what the previous step left in L1.</summary>
public struct RowsReversed
{
}
