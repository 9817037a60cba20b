namespace AddingProblem;

/// <summary>
/// The adding problem (Hochreiter and Schmidhuber, 1997): a sequence of T pairs (value ~ U(0, 1), marker ∈ {0, 1});
/// exactly two markers are 1, one in each half of the sequence; the target is the sum of the two marked values.
/// The model must carry a value across up to T steps while ignoring everything else: the long-time-lag test the
/// LSTM's gates were designed for. Predicting the mean (1.0) scores MSE = Var(U + U) = 2/12 ≈ 0.167.
/// </summary>
public sealed class AddingTask
{
    private readonly Random _random;

    public AddingTask(int length, int seed)
    {
        if (length < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A sequence needs at least two steps.");
        }

        Length = length;
        _random = new Random(seed);
    }

    public int Length { get; }

    /// <summary>Fills <paramref name="input"/> (time-major, 2 floats per step) and returns the target.</summary>
    public float Next(Span<float> input)
    {
        int half = Length / 2;
        int first = _random.Next(0, half);
        int second = _random.Next(half, Length);
        float target = 0;
        for (int t = 0; t < Length; t++)
        {
            float value = _random.NextSingle();
            float marker = t == first || t == second ? 1f : 0f;
            input[2 * t] = value;
            input[2 * t + 1] = marker;
            target += marker * value;
        }

        return target;
    }
}
