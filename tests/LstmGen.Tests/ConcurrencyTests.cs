using Xunit;

namespace LstmGen.Tests;

/// <summary>Step and Forward only read the parameters: one instance serves several threads at once.</summary>
[Trait("Category", "Numeric")]
public sealed class ConcurrencyTests
{
    [Fact]
    public void Concurrent_Forward_calls_on_one_instance_give_the_sequential_result()
    {
        Fixture f = Fixture.Load("lstm_I8_H128_T5");
        ILstm model = f.CreateModel();
        FixtureCase c = f.Cases[0];

        float[] expected = new float[c.Steps * f.HiddenSize];
        model.Forward(c.Input, expected, c.H0.ToArray(), c.C0.ToArray());

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            float[] output = new float[expected.Length];
            for (int repeat = 0; repeat < 200; repeat++)
            {
                model.Forward(c.Input, output, c.H0.ToArray(), c.C0.ToArray());
                Assert.Equal(expected, output);
            }
        });
    }
}
