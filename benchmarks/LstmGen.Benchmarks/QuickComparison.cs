using System.Diagnostics;
using LstmGen.Benchmarks.Contestants;

namespace LstmGen.Benchmarks;

/// <summary>
/// A quick Stopwatch comparison for development: rounds interleave the contestants (so drift hits them all), and
/// the median of the rounds is reported with the ratio to contestant 4. The published table comes from
/// BenchmarkDotNet.
/// </summary>
public static class QuickComparison
{
    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0]) : 7;
        foreach (string shape in new[] { "I1_H8", "I16_H64", "I64_H128" })
        {
            using var c = ContestantSet.Create(shape);
            c.VerifyAgreement();
            var cases = new (string Name, Action Run, int Steps)[]
            {
                ("Step Generated", c.Generated.Step, 1),
                ("Step Vector512", c.Vector512.Step, 1),
                ("Forward Generated", c.Generated.Forward, ContestantSet.SequenceLength),
                ("Forward Vector512", c.Vector512.Forward, ContestantSet.SequenceLength),
                ("Step Vector512 rational", c.Vector512Rational.Step, 1),
                ("Forward Vector512 rational", c.Vector512Rational.Forward, ContestantSet.SequenceLength),
                ("Backward Generated", c.Generated.Backward, ContestantSet.SequenceLength),
                ("Fwd+BackwardFromTape", c.GeneratedTape.Backward, ContestantSet.SequenceLength),
            };
            var samples = cases.Select(_ => new List<double>()).ToArray();
            for (int round = 0; round < rounds; round++)
            {
                for (int k = 0; k < cases.Length; k++)
                {
                    samples[k].Add(Measure(cases[k].Run) / cases[k].Steps);
                }
            }

            double[] medians = samples.Select(s => s.OrderBy(v => v).ElementAt(s.Count / 2)).ToArray();
            Console.WriteLine($"{shape}: Step {medians[0]:F1} ns ({medians[0] / medians[1]:F2}x V512 {medians[1]:F1}) | " +
                $"Forward/step {medians[2]:F1} ns ({medians[2] / medians[3]:F2}x V512 {medians[3]:F1}; {medians[2] / medians[0]:F2}x Step) | " +
                $"Backward {medians[6] / medians[2]:F2}x Forward, tape {medians[7] / medians[2]:F2}x | vs V512+rational: Step {medians[0] / medians[4]:F2}x, Forward {medians[2] / medians[5]:F2}x");
        }

        return 0;
    }

    private static double Measure(Action action)
    {
        for (int i = 0; i < 50; i++)
        {
            action();
        }

        long budget = Stopwatch.Frequency / 10;
        int calls = 0;
        long start = Stopwatch.GetTimestamp();
        long elapsed;
        do
        {
            for (int i = 0; i < 16; i++)
            {
                action();
            }

            calls += 16;
            elapsed = Stopwatch.GetTimestamp() - start;
        }
        while (elapsed < budget);
        return elapsed * 1e9 / Stopwatch.Frequency / calls;
    }
}
