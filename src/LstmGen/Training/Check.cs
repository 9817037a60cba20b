using System;
using LstmGen.Kernels;

namespace LstmGen.Training;

/// <summary>Argument checks shared by the training helpers; every message names the argument.</summary>
internal static class Check
{
    public static void Positive(string name, float value)
    {
        if (!(value > 0) || float.IsInfinity(value))
        {
            throw new ArgumentException($"'{name}' must be a positive, finite number, but it is {value}.", name);
        }
    }

    public static void NonNegative(string name, float value)
    {
        if (!(value >= 0) || float.IsInfinity(value))
        {
            throw new ArgumentException($"'{name}' must be a finite number of at least 0, but it is {value}.", name);
        }
    }

    public static void InRange(string name, float value, float inclusiveLow, float exclusiveHigh)
    {
        if (!(value >= inclusiveLow && value < exclusiveHigh))
        {
            throw new ArgumentException($"'{name}' must be in [{inclusiveLow}, {exclusiveHigh}), but it is {value}.", name);
        }
    }

    public static void SameLength(string name, int actual, string otherName, int expected)
    {
        if (actual != expected)
        {
            LstmThrow.WrongLength(name, actual, expected, $"the length of '{otherName}'");
        }
    }
}
