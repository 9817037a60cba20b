using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Threading;

namespace LstmGen.Kernels;

/// <summary>
/// The header generated models write at the start of a tape: what recorded it, so a backward pass refuses a
/// tape from another model, another instance, another input, or one already consumed.
/// </summary>
/// <remarks>The fields are integers stored in the tape's first floats (bit for bit, not as float values).</remarks>
public static class TapeHeader
{
    /// <summary>Floats before a tape's first row.</summary>
    public const int Length = 16;

    /// <summary>Field index: <see cref="MagicValue"/>.</summary>
    public const int Magic = 0;

    /// <summary>Field index: the model's input size.</summary>
    public const int InputSize = 1;

    /// <summary>Field index: the model's hidden size.</summary>
    public const int HiddenSize = 2;

    /// <summary>Field index: recorded steps (0 once consumed).</summary>
    public const int Steps = 3;

    /// <summary>Field index: the recording instance's identity.</summary>
    public const int Instance = 4;

    /// <summary>Field index: the recorded input's fingerprint.</summary>
    public const int InputFingerprint = 5;

    /// <summary>Field index: the sequences recorded (1 for <c>Forward</c>'s tape, B for <c>ForwardBatch</c>'s).</summary>
    public const int Sequences = 6;

    /// <summary>Field index: the row layout, <see cref="SequenceLayout"/> or <see cref="BatchLayout"/>.</summary>
    public const int Layout = 7;

    /// <summary><see cref="Layout"/> of a tape recorded by <c>Forward(…, tape)</c>: one sequence's rows, the input not stored.</summary>
    public const int SequenceLayout = 0;

    /// <summary><see cref="Layout"/> of a tape recorded by <c>ForwardBatch(…, tape)</c>: rows interleaved by time, then the inputs.</summary>
    public const int BatchLayout = 1;

    /// <summary>Marks a tape written by LstmGen ("LGtp").</summary>
    public const int MagicValue = 0x7074474C;

    private static int s_lastInstance;

    /// <summary>A process-wide unique identity for a new model instance.</summary>
    /// <returns>The identity (never 0).</returns>
    public static int NextInstance()
    {
        int id;
        do
        {
            id = Interlocked.Increment(ref s_lastInstance);
        }
        while (id == 0);
        return id;
    }

    /// <summary>
    /// A cheap 32-bit fingerprint of an input sequence (every value's bits, multiply-xorshift mixed), so a backward
    /// pass given a different input than the one recorded is refused. Different inputs collide with probability
    /// about 2⁻³². Four independent chains of 64-bit words, joined at the end: in one chain every multiply waits for the
    /// previous one (1.5 µs for the 2,048 inputs of 32 steps of 64), four overlap (0.43 µs).
    /// </summary>
    /// <param name="input">The input.</param>
    /// <returns>The fingerprint.</returns>
    public static int Fingerprint(ReadOnlySpan<float> input)
    {
        const ulong Multiplier = 0xBF58476D1CE4E5B9UL;
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<float, ulong>(input);
        ulong h0 = 0x9E3779B97F4A7C15UL ^ (ulong)input.Length, h1 = h0 + 1, h2 = h0 + 2, h3 = h0 + 3;
        int i = 0;
        for (; i + 4 <= words.Length; i += 4)
        {
            h0 = (h0 ^ words[i]) * Multiplier;
            h1 = (h1 ^ words[i + 1]) * Multiplier;
            h2 = (h2 ^ words[i + 2]) * Multiplier;
            h3 = (h3 ^ words[i + 3]) * Multiplier;
            h0 ^= h0 >> 29;
            h1 ^= h1 >> 29;
            h2 ^= h2 >> 29;
            h3 ^= h3 >> 29;
        }

        for (; i < words.Length; i++)
        {
            h0 = (h0 ^ words[i]) * Multiplier;
            h0 ^= h0 >> 29;
        }

        if ((input.Length & 1) != 0)
        {
            h1 = (h1 ^ BitConverter.SingleToUInt32Bits(input[^1])) * Multiplier;
        }

        ulong hash = (h0 ^ BitOperations.RotateLeft(h1, 16) ^ BitOperations.RotateLeft(h2, 32) ^ BitOperations.RotateLeft(h3, 48)) * Multiplier;
        hash ^= hash >> 32;
        return (int)hash;
    }

    /// <summary>Writes a header for a recording of <paramref name="steps"/> steps.</summary>
    /// <param name="tape">The tape.</param>
    /// <param name="inputSize">The model's input size.</param>
    /// <param name="hiddenSize">The model's hidden size.</param>
    /// <param name="steps">The recorded steps.</param>
    /// <param name="instance">The recording instance.</param>
    /// <param name="input">The recorded input.</param>
    /// <param name="sequences">Sequences in the tape (a batch tape holds several).</param>
    /// <param name="batch">Whether it is a batch tape (<see cref="BatchLayout"/>), even of one sequence.</param>
    public static void Write(Span<float> tape, int inputSize, int hiddenSize, int steps, int instance, ReadOnlySpan<float> input, int sequences = 1, bool batch = false)
    {
        Span<int> header = MemoryMarshal.Cast<float, int>(tape.Slice(0, Length));
        header.Clear();
        header[Magic] = MagicValue;
        header[InputSize] = inputSize;
        header[HiddenSize] = hiddenSize;
        header[Steps] = steps;
        header[Instance] = instance;
        header[InputFingerprint] = Fingerprint(input);
        header[Sequences] = sequences;
        header[Layout] = batch ? BatchLayout : SequenceLayout;
    }

    /// <summary>
    /// Floats a batch tape needs: the header, then for each of <paramref name="sequences"/> sequences
    /// <c>steps + 1</c> rows of <paramref name="tapeStride"/> floats and its <c>steps · inputSize</c> inputs.
    /// </summary>
    /// <param name="sequences">Sequences in the batch, at least 1.</param>
    /// <param name="steps">Time steps per sequence.</param>
    /// <param name="tapeStride">Floats per tape row.</param>
    /// <param name="inputSize">Input features per time step.</param>
    /// <returns>The length.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequences"/> is less than 1, or the tape would exceed <see cref="int.MaxValue"/> floats.</exception>
    public static int BatchLength(int sequences, int steps, int tapeStride, int inputSize)
    {
        long length = BatchFloats(sequences, steps, tapeStride, inputSize);
        if (sequences < 1 || length > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(sequences),
                sequences,
                sequences < 1 ? "A batch has at least one sequence." : $"A tape for {sequences} sequences would have {length} floats, more than a span can hold.");
        }

        return (int)length;
    }

    /// <summary>
    /// <see cref="BatchLength"/> in 64-bit arithmetic, without checks: what the generated length checks compare a tape with
    /// (no product can wrap around).
    /// </summary>
    /// <param name="sequences">Sequences in the batch.</param>
    /// <param name="steps">Time steps per sequence.</param>
    /// <param name="tapeStride">Floats per tape row.</param>
    /// <param name="inputSize">Input features per time step.</param>
    /// <returns>The length.</returns>
    public static long BatchFloats(long sequences, long steps, int tapeStride, int inputSize) =>
        Length + sequences * ((steps + 1) * tapeStride + steps * inputSize);

    /// <summary>Marks a tape consumed (its gate rows now hold gradients).</summary>
    /// <param name="tape">The tape.</param>
    public static void MarkConsumed(Span<float> tape) => MemoryMarshal.Cast<float, int>(tape)[Steps] = 0;
}
