using Xunit;

namespace LstmGen.Tests;

/// <summary>
/// After warm-up the hot paths allocate nothing: measured with the per-thread allocation counter, which
/// counts every managed allocation on this thread, however small.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class AllocationTests
{
    public static TheoryData<string> FixtureNames()
    {
        var data = new TheoryData<string>();
        foreach (string name in Fixture.Names)
        {
            data.Add(name);
        }

        return data;
    }

    private static long AllocatedBy(Action action, int repetitions)
    {
        // Warm-up: JIT, static constructors, and tiered compilation, which replaces the first code after
        // ~30 calls and a 100 ms delay (an OSR or tier-1 transition may touch runtime data structures once).
        for (int i = 0; i < 500; i++)
        {
            action();
        }

        Thread.Sleep(300);
        for (int i = 0; i < 500; i++)
        {
            action();
        }

        return Allocations.Measure(() =>
        {
            for (int i = 0; i < repetitions; i++)
            {
                action();
            }
        });
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Step_and_Forward_allocate_nothing(string fixtureName)
    {
        Fixture f = Fixture.Load(fixtureName);
        ILstm model = f.CreateModel();
        FixtureCase c = f.Cases[0];
        float[] input = c.Input, output = new float[c.Steps * f.HiddenSize];
        float[] hidden = c.H0.ToArray(), cell = c.C0.ToArray();
        float[] x = input.AsSpan(0, f.InputSize).ToArray();

        long step = AllocatedBy(() => model.Step(x, hidden, cell), 1000);
        long forward = AllocatedBy(() => model.Forward(input, output, hidden, cell), 200);

        Assert.Equal(0, step);
        Assert.Equal(0, forward);
    }
}
