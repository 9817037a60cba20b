using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LstmGen.Kernels;

/// <summary>
/// Between the two orders of a batch of sequences: sequence-major <c>[B, steps, item]</c>, as the batched members take
/// their inputs, and time-major <c>[steps, B, item]</c>, as the batch tape stores them.
/// </summary>
public static class BatchOrder
{
    /// <summary>
    /// Copies <paramref name="source"/> <c>[outer, inner, item]</c> to <paramref name="destination"/> <c>[inner, outer, item]</c>:
    /// element (i, j, k) goes to (j, i, k).
    /// </summary>
    /// <param name="source">At least <c>outer · inner · item</c> floats.</param>
    /// <param name="destination">At least <c>outer · inner · item</c> floats; must not overlap <paramref name="source"/>.</param>
    /// <param name="outer">The first dimension of the source.</param>
    /// <param name="inner">The second dimension of the source.</param>
    /// <param name="item">Floats per element.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative (the exception names it).</exception>
    /// <exception cref="ArgumentException">A span is too short (the message names it and both lengths), or the spans overlap.</exception>
    public static void Transpose(ReadOnlySpan<float> source, Span<float> destination, int outer, int inner, int item)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(outer);
        ArgumentOutOfRangeException.ThrowIfNegative(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(item);

        long count = (long)outer * inner * item;
        LstmThrow.IfShorterThan(nameof(source), source.Length, count, "outer · inner · item");
        LstmThrow.IfShorterThan(nameof(destination), destination.Length, count, "outer · inner · item");
        LstmThrow.IfOverlapping(nameof(destination), destination, nameof(source), source);
        ref float from = ref MemoryMarshal.GetReference(source);
        ref float to = ref MemoryMarshal.GetReference(destination);
        nuint rowStride = (nuint)outer * (nuint)item;
        for (nuint i = 0; i < (nuint)outer; i++)
        {
            ref float target = ref Unsafe.Add(ref to, i * (nuint)item);
            if (item == 1)
            {
                // One float per element (mono audio, one feature): plain assignments, no copy calls.
                for (nuint j = 0; j < (nuint)inner; j++)
                {
                    Unsafe.Add(ref target, j * rowStride) = Unsafe.Add(ref from, j);
                }
            }
            else
            {
                for (nuint j = 0; j < (nuint)inner; j++)
                {
                    MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref from, j * (nuint)item), item)
                        .CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref target, j * rowStride), item));
                }
            }

            from = ref Unsafe.Add(ref from, (nuint)inner * (nuint)item);
        }
    }
}
