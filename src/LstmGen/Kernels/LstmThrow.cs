using System;
using System.Diagnostics.CodeAnalysis;

namespace LstmGen.Kernels;

/// <summary>
/// Argument-validation helpers for generated models. They live outside the generated methods so the
/// hot paths stay small (the JIT keeps throw paths out of line) and every message has the same shape.
/// </summary>
public static class LstmThrow
{
    /// <summary>Throws if <paramref name="actual"/> differs from <paramref name="expected"/>.</summary>
    /// <param name="parameterName">The name of the span argument.</param>
    /// <param name="actual">Its length.</param>
    /// <param name="expected">The required length.</param>
    /// <param name="meaning">What the expected length is made of, e.g. <c>"HiddenSize"</c> or <c>"4·HiddenSize·InputSize (weight_ih_l0)"</c>.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void IfLengthIsNot(string parameterName, int actual, long expected, string meaning)
    {
        if (actual != expected)
        {
            WrongLength(parameterName, actual, expected, meaning);
        }
    }

    /// <summary>Throws if <paramref name="actual"/> is less than <paramref name="minimum"/>.</summary>
    /// <param name="parameterName">The name of the span argument.</param>
    /// <param name="actual">Its length.</param>
    /// <param name="minimum">The least length accepted.</param>
    /// <param name="meaning">The constant that names the minimum, e.g. <c>"TapeLength"</c>.</param>
    /// <exception cref="ArgumentException">The span is too short.</exception>
    public static void IfShorterThan(string parameterName, int actual, long minimum, string meaning)
    {
        if (actual < minimum)
        {
            throw new ArgumentException(
                $"'{parameterName}' must have at least {minimum} elements ({meaning}), but its length is {actual}.",
                parameterName);
        }
    }

    /// <summary>
    /// Validates a sequence input of <c>steps · inputSize</c> floats with <c>1 ≤ steps ≤ sequenceLength</c>
    /// and returns <c>steps</c>.
    /// </summary>
    /// <param name="parameterName">The name of the input span argument.</param>
    /// <param name="actual">Its length.</param>
    /// <param name="inputSize">Floats per time step.</param>
    /// <param name="sequenceLength">Maximum number of time steps.</param>
    /// <returns>The number of time steps.</returns>
    /// <exception cref="ArgumentException">The length is not a positive multiple of <paramref name="inputSize"/> up to <c>sequenceLength · inputSize</c>.</exception>
    public static int StepsOf(string parameterName, int actual, int inputSize, int sequenceLength)
    {
        int steps = actual / inputSize;
        if (steps < 1 || steps > sequenceLength || steps * inputSize != actual)
        {
            throw new ArgumentException(
                $"'{parameterName}' must hold between 1 and {sequenceLength} time steps of InputSize = {inputSize} floats " +
                $"(a length that is a multiple of {inputSize} from {inputSize} to {(long)sequenceLength * inputSize}), but its length is {actual}.",
                parameterName);
        }

        return steps;
    }

    /// <summary>
    /// The number of items of <paramref name="itemLength"/> floats in a span of <paramref name="actual"/> floats, which
    /// must be a whole number ≥ 1 of them (a batch: states, sequences).
    /// </summary>
    /// <param name="parameterName">The span's name.</param>
    /// <param name="actual">Its length.</param>
    /// <param name="itemLength">Floats per item.</param>
    /// <param name="meaning">What the length is, for the message.</param>
    /// <returns>The number of items.</returns>
    /// <exception cref="ArgumentException">The length is not a positive multiple of <paramref name="itemLength"/>.</exception>
    public static int CountOf(string parameterName, int actual, int itemLength, string meaning)
    {
        int count = actual / itemLength;
        if (count < 1 || count * itemLength != actual)
        {
            throw new ArgumentException(
                $"'{parameterName}' must hold a whole number of {meaning} of {itemLength} floats (a positive multiple of {itemLength}), but its length is {actual}.",
                parameterName);
        }

        return count;
    }

    /// <summary>The steps of a batch input <c>[sequences, steps, inputSize]</c>: 1 to <paramref name="sequenceLength"/>.</summary>
    /// <param name="parameterName">The input's name.</param>
    /// <param name="actual">Its length.</param>
    /// <param name="sequences">Sequences in the batch.</param>
    /// <param name="inputSize">Floats per step.</param>
    /// <param name="sequenceLength">The most steps.</param>
    /// <returns>The steps.</returns>
    /// <exception cref="ArgumentException">The length is not sequences · steps · inputSize for 1 ≤ steps ≤ sequenceLength.</exception>
    public static int StepsOfBatch(string parameterName, int actual, int sequences, int inputSize, int sequenceLength)
    {
        long perStep = (long)sequences * inputSize;
        long steps = actual / perStep;
        if (steps < 1 || steps > sequenceLength || steps * perStep != actual)
        {
            throw new ArgumentException(
                $"'{parameterName}' must hold {sequences} sequence(s) of 1 to {sequenceLength} time steps of InputSize = {inputSize} floats " +
                $"(a multiple of {perStep} from {perStep} to {perStep * sequenceLength}), but its length is {actual}.",
                parameterName);
        }

        return (int)steps;
    }

    /// <summary>Throws the standard wrong-length <see cref="ArgumentException"/>.</summary>
    /// <param name="parameterName">The name of the span argument.</param>
    /// <param name="actual">Its length.</param>
    /// <param name="expected">The required length.</param>
    /// <param name="meaning">What the expected length is made of.</param>
    /// <exception cref="ArgumentException">Always.</exception>
    [DoesNotReturn]
    public static void WrongLength(string parameterName, int actual, long expected, string meaning)
    {
        throw new ArgumentException(
            $"'{parameterName}' must have length {expected} ({meaning}), but its length is {actual}.",
            parameterName);
    }

    /// <summary>
    /// Throws when <paramref name="first"/> and <paramref name="second"/> share memory and one of them is written:
    /// the kernels read and write through them in an order that would corrupt the results.
    /// </summary>
    /// <param name="firstName">The first argument's name.</param>
    /// <param name="first">The first span.</param>
    /// <param name="secondName">The second argument's name.</param>
    /// <param name="second">The second span.</param>
    /// <exception cref="ArgumentException">The spans overlap.</exception>
    public static void IfOverlapping(string firstName, ReadOnlySpan<float> first, string secondName, ReadOnlySpan<float> second)
    {
        if (first.Overlaps(second))
        {
            Overlapping(firstName, secondName);
        }
    }

    /// <summary>
    /// Throws when the written span <paramref name="written"/> shares memory with any of up to nine others (unused
    /// arguments are empty and never overlap). <paramref name="otherNames"/> lists the others' names, comma-separated,
    /// for the message.
    /// </summary>
    /// <param name="writtenName">The written argument's name.</param>
    /// <param name="written">The written span.</param>
    /// <param name="otherNames">The other arguments' names, comma-separated, in order.</param>
    /// <param name="a">Another span.</param>
    /// <param name="b">Another span, or empty.</param>
    /// <param name="c">Another span, or empty.</param>
    /// <param name="d">Another span, or empty.</param>
    /// <param name="e">Another span, or empty.</param>
    /// <param name="f">Another span, or empty.</param>
    /// <param name="g">Another span, or empty.</param>
    /// <param name="h">Another span, or empty.</param>
    /// <param name="i">Another span, or empty.</param>
    /// <exception cref="ArgumentException">Two spans overlap; the message names both.</exception>
    public static void IfOverlapsAny(
        string writtenName, ReadOnlySpan<float> written, string otherNames, ReadOnlySpan<float> a, ReadOnlySpan<float> b = default,
        ReadOnlySpan<float> c = default, ReadOnlySpan<float> d = default, ReadOnlySpan<float> e = default, ReadOnlySpan<float> f = default,
        ReadOnlySpan<float> g = default, ReadOnlySpan<float> h = default, ReadOnlySpan<float> i = default)
    {
        int index = written.Overlaps(a) ? 0 : written.Overlaps(b) ? 1 : written.Overlaps(c) ? 2 : written.Overlaps(d) ? 3 : written.Overlaps(e) ? 4
            : written.Overlaps(f) ? 5 : written.Overlaps(g) ? 6 : written.Overlaps(h) ? 7 : written.Overlaps(i) ? 8 : -1;
        if (index >= 0)
        {
            Overlapping(writtenName, otherNames.Split(',')[index].Trim());
        }
    }

    /// <summary>Throws the <see cref="ArgumentException"/> for two overlapping spans.</summary>
    /// <param name="firstName">The first argument's name.</param>
    /// <param name="secondName">The second argument's name.</param>
    [DoesNotReturn]
    public static void Overlapping(string firstName, string secondName)
    {
        throw new ArgumentException(
            $"'{firstName}' and '{secondName}' overlap in memory; one of them is written, so they must be separate buffers.",
            firstName);
    }

    /// <summary>
    /// Throws unless <paramref name="tape"/>'s header says it was recorded by this model instance, for this input,
    /// and not yet consumed.
    /// </summary>
    /// <param name="parameterName">The tape argument's name.</param>
    /// <param name="tape">The tape (its header is read).</param>
    /// <param name="inputSize">The model's input size.</param>
    /// <param name="hiddenSize">The model's hidden size.</param>
    /// <param name="steps">Steps of the input given to the backward pass.</param>
    /// <param name="instance">The identity of the model instance.</param>
    /// <param name="inputFingerprint">The fingerprint of the input given to the backward pass.</param>
    /// <param name="recorder">How the tape is recorded, for the message.</param>
    /// <param name="sequences">The sequences the backward pass expects (a batch tape holds several).</param>
    /// <param name="batch">Whether the backward pass expects a batch tape (<c>BackwardBatchFromTape</c>).</param>
    /// <exception cref="ArgumentException">The tape does not belong to this call.</exception>
    public static void IfTapeDoesNotMatch(string parameterName, ReadOnlySpan<float> tape, int inputSize, int hiddenSize, int steps, int instance, int inputFingerprint, string recorder, int sequences = 1, bool batch = false)
    {
        ReadOnlySpan<int> header = System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(tape);
        string consumer = batch ? "BackwardBatchFromTape" : "BackwardFromTape";
        if (header[TapeHeader.Magic] != TapeHeader.MagicValue || header[TapeHeader.InputSize] != inputSize || header[TapeHeader.HiddenSize] != hiddenSize)
        {
            throw new ArgumentException(
                $"'{parameterName}' was not recorded by {recorder} of a model with InputSize = {inputSize} and HiddenSize = {hiddenSize}.",
                parameterName);
        }

        if (header[TapeHeader.Steps] == 0)
        {
            throw new ArgumentException(
                $"'{parameterName}' was already consumed by a backward pass; record it again with {recorder}.",
                parameterName);
        }

        if (header[TapeHeader.Instance] != instance)
        {
            throw new ArgumentException(
                $"'{parameterName}' was recorded by another instance of this model; its activations do not belong to this instance's parameters.",
                parameterName);
        }

        if (header[TapeHeader.Layout] != (batch ? TapeHeader.BatchLayout : TapeHeader.SequenceLayout))
        {
            throw new ArgumentException(
                batch
                    ? $"'{parameterName}' was recorded by Forward(…, tape), one sequence without its input; {consumer} needs a tape recorded by {recorder}."
                    : $"'{parameterName}' was recorded by ForwardBatch(…, tape), a batch tape; {consumer} needs a tape recorded by {recorder}.",
                parameterName);
        }

        if (header[TapeHeader.Sequences] != sequences)
        {
            throw new ArgumentException(
                $"'{parameterName}' was recorded for {header[TapeHeader.Sequences]} sequence(s), but this call has {sequences}.",
                parameterName);
        }

        if (header[TapeHeader.Steps] != steps)
        {
            throw new ArgumentException(
                $"'{parameterName}' was recorded for {header[TapeHeader.Steps]} steps, but the input has {steps} steps.",
                parameterName);
        }

        if (header[TapeHeader.InputFingerprint] != inputFingerprint)
        {
            throw new ArgumentException(
                $"'{parameterName}' was recorded with a different input than the one given to {consumer}.",
                parameterName);
        }
    }
}
