using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LstmGen.Kernels;

/// <summary>
/// A zero-initialized array of floats whose first element sits on a 64-byte boundary, for parameter and
/// gradient storage of generated models.
/// </summary>
/// <remarks>
/// A 512-bit load that straddles two cache lines costs two L1 accesses. Generated kernels stream every
/// weight row once per time step, so the storage is allocated on the pinned object heap (it never moves,
/// so its alignment never changes) with up to 15 floats of slack, and <see cref="Span"/> starts at the
/// first 64-byte-aligned element. With rows of <c>4·HiddenSize</c> floats, every row is then aligned
/// whenever <c>HiddenSize</c> is a multiple of 4.
/// </remarks>
public sealed class AlignedBuffer
{
    /// <summary>The alignment of <see cref="Reference"/> in bytes.</summary>
    public const int AlignmentBytes = 64;

    private const int SlackElements = AlignmentBytes / sizeof(float) - 1;

    private readonly float[] _array;
    private readonly int _offset;

    /// <summary>Allocates a zeroed, 64-byte-aligned buffer of <paramref name="length"/> floats.</summary>
    /// <param name="length">Number of floats, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is less than 1 or too large for one array.</exception>
    public AlignedBuffer(int length)
    {
        if (length < 1 || length > int.MaxValue - SlackElements)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"The buffer length must be between 1 and {int.MaxValue - SlackElements}.");
        }

        _array = GC.AllocateArray<float>(length + SlackElements, pinned: true);
        _offset = ComputeAlignedOffset(_array);
        Length = length;
    }

    /// <summary>Number of floats in the buffer.</summary>
    public int Length { get; }

    /// <summary>The buffer's contents.</summary>
    public Span<float> Span => new(_array, _offset, Length);

    /// <summary>A reference to the first, 64-byte-aligned element, for kernels that index without bounds checks.</summary>
    public ref float Reference => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array), (nint)_offset);

    private static unsafe int ComputeAlignedOffset(float[] array)
    {
        // The array is on the pinned object heap: its address is fixed for its lifetime.
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        nuint misalignment = address % AlignmentBytes;
        return misalignment == 0 ? 0 : (int)((AlignmentBytes - misalignment) / sizeof(float));
    }
}
