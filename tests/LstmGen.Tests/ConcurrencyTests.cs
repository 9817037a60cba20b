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

    /// <summary>
    /// <see cref="ILstm.Gradients"/> is created on first use: threads that race for it, started together on fresh
    /// instances, must all get the same buffer (one created, none lost), so gradients one thread adds are seen by all.
    /// </summary>
    [Fact]
    public unsafe void Threads_racing_for_Gradients_on_first_use_all_get_one_buffer()
    {
        const int Threads = 4;
        for (int round = 0; round < 200; round++)
        {
            var model = new Lstm_I4_H17_T6();
            var addresses = new IntPtr[Threads];
            using var start = new Barrier(Threads);
            Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
            {
                start.SignalAndWait();
                addresses[t] = (IntPtr)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(model.Gradients));
            });
            Assert.All(addresses, a => Assert.Equal(addresses[0], a));
            Assert.Equal(addresses[0], (IntPtr)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(model.Gradients)));
        }
    }

    /// <summary>
    /// Four threads, started together, each stream their own inputs through <c>Step</c> on one shared instance with
    /// their own state, many times over; every h_t and c_t must be bit-identical to a single-threaded run. Shapes
    /// whose step runs in several chunks (H = 128) or one (H = 17) cover both ways a step handles h_{t-1}.
    /// </summary>
    [Theory]
    [InlineData("lstm_I8_H128_T5")]
    [InlineData("lstm_I4_H17_T6")]
    public void Concurrent_Step_calls_on_one_instance_are_bit_identical_to_a_single_thread(string fixtureName)
    {
        const int Threads = 4, Steps = 400, Repeats = 25;
        Fixture f = Fixture.Load(fixtureName);
        ILstm model = f.CreateModel();
        int i = f.InputSize, h = f.HiddenSize;

        // Different inputs and initial states per thread, so a step that read another thread's data would show.
        float[][] inputs = new float[Threads][], h0 = new float[Threads][], c0 = new float[Threads][];
        for (int k = 0; k < Threads; k++)
        {
            var random = new Random(100 + k);
            inputs[k] = Enumerable.Range(0, Steps * i).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
            h0[k] = Enumerable.Range(0, h).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            c0[k] = Enumerable.Range(0, h).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        }

        // Every h_t, then every c_t, of a run.
        float[] Run(int k)
        {
            float[] trace = new float[2 * Steps * h], hidden = h0[k].ToArray(), cell = c0[k].ToArray();
            for (int t = 0; t < Steps; t++)
            {
                model.Step(inputs[k].AsSpan(t * i, i), hidden, cell);
                hidden.CopyTo(trace, t * h);
                cell.CopyTo(trace, (Steps + t) * h);
            }

            return trace;
        }

        int[][] expected = Enumerable.Range(0, Threads).Select(k => Bits(Run(k))).ToArray();
        Assert.NotEqual(expected[0], expected[1]);

        using var start = new Barrier(Threads);
        var mismatches = new string?[Threads];
        Thread[] threads = Enumerable.Range(0, Threads).Select(k => new Thread(() =>
        {
            start.SignalAndWait();
            for (int repeat = 0; repeat < Repeats && mismatches[k] is null; repeat++)
            {
                int[] actual = Bits(Run(k));
                int n = Enumerable.Range(0, actual.Length).FirstOrDefault(index => actual[index] != expected[k][index], -1);
                if (n >= 0)
                {
                    mismatches[k] = $"thread {k}, repeat {repeat}: {(n < Steps * h ? "h" : "c")} element {n % (Steps * h)} differs from the single-threaded run";
                }
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.All(mismatches, m => Assert.Null(m));
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
