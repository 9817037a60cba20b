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
    public static void IfLengthIsNot(string parameterName, int actual, int expected, string meaning)
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
    public static void IfShorterThan(string parameterName, int actual, int minimum, string meaning)
    {
        if (actual < minimum)
        {
            throw new ArgumentException(
                $"'{parameterName}' must have at least {minimum} elements ({meaning}), but its length is {actual}.",
                parameterName);
        }
    }

    /// <summary>
    /// Throws unless a tape header says it was recorded by a model with these sizes for <paramref name="steps"/> steps
    /// and has not been consumed by a backward pass yet.
    /// </summary>
    /// <param name="parameterName">The name of the tape argument.</param>
    /// <param name="recordedInputSize">Header value 0.</param>
    /// <param name="recordedHiddenSize">Header value 1.</param>
    /// <param name="recordedSteps">Header value 2 (0 once consumed).</param>
    /// <param name="inputSize">This model's input size.</param>
    /// <param name="hiddenSize">This model's hidden size.</param>
    /// <param name="steps">The number of steps of the input passed with the tape.</param>
    /// <exception cref="ArgumentException">The tape does not match.</exception>
    public static void IfTapeDoesNotMatch(string parameterName, float recordedInputSize, float recordedHiddenSize, float recordedSteps, int inputSize, int hiddenSize, int steps)
    {
        if (recordedInputSize != inputSize || recordedHiddenSize != hiddenSize)
        {
            throw new ArgumentException(
                $"'{parameterName}' was not recorded by Forward(input, output, hidden, cell, tape) of a model with InputSize = {inputSize} and HiddenSize = {hiddenSize}.",
                parameterName);
        }

        if (recordedSteps == 0)
        {
            throw new ArgumentException(
                $"'{parameterName}' was already consumed by BackwardFromTape; record it again with Forward(input, output, hidden, cell, tape).",
                parameterName);
        }

        if (recordedSteps != steps)
        {
            throw new ArgumentException(
                $"'{parameterName}' was recorded for {recordedSteps} steps, but the input has {steps} steps.",
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

    /// <summary>Throws the standard wrong-length <see cref="ArgumentException"/>.</summary>
    /// <param name="parameterName">The name of the span argument.</param>
    /// <param name="actual">Its length.</param>
    /// <param name="expected">The required length.</param>
    /// <param name="meaning">What the expected length is made of.</param>
    /// <exception cref="ArgumentException">Always.</exception>
    [DoesNotReturn]
    public static void WrongLength(string parameterName, int actual, int expected, string meaning)
    {
        throw new ArgumentException(
            $"'{parameterName}' must have length {expected} ({meaning}), but its length is {actual}.",
            parameterName);
    }
}
