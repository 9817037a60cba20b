using Xunit;

namespace LstmGen.Tests;

/// <summary>Backward allocates nothing after warm-up, in every overload, including above the stack budget.</summary>
[Trait("Category", "Numeric")]
public sealed class BackwardAllocationTests
{
    private static long AllocatedBy(Action action)
    {
        for (int i = 0; i < 300; i++)
        {
            action();
        }

        Thread.Sleep(300);
        for (int i = 0; i < 300; i++)
        {
            action();
        }

        return Allocations.Measure(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                action();
            }
        });
    }

    [Theory]
    [MemberData(nameof(AllocationTests.FixtureNames), MemberType = typeof(AllocationTests))]
    public void Backward_overloads_allocate_nothing(string fixtureName)
    {
        Fixture f = Fixture.Load(fixtureName);
        FixtureCase c = f.Cases[0];
        ILstm model = f.CreateModel();
        var dx = new float[c.Steps * f.InputSize];
        var dh0 = new float[f.HiddenSize];
        var dc0 = new float[f.HiddenSize];
        var workspace = new float[model.BackwardWorkspaceLength];
        var tape = new float[model.TapeLength];
        var output = new float[c.Steps * f.HiddenSize];
        var h = new float[f.HiddenSize];
        var cell = new float[f.HiddenSize];

        Assert.Equal(0, AllocatedBy(() => model.Backward(c.Input, c.H0, c.C0, c.GradOutput, c.GradHN, c.GradCN, dx, dh0, dc0)));
        Assert.Equal(0, AllocatedBy(() => model.Backward(c.Input, c.H0, c.C0, c.GradOutput, c.GradHN, c.GradCN, dx, dh0, dc0, workspace)));
        Assert.Equal(0, AllocatedBy(() =>
        {
            model.Forward(c.Input, output, h, cell, tape);
            model.BackwardFromTape(c.Input, tape, c.GradOutput, c.GradHN, c.GradCN, dx, dh0, dc0);
        }));
    }

    [Fact]
    public void Above_the_stack_budget_Backward_uses_the_pool_allocation_free_with_the_same_result()
    {
        var model = new LongSequenceModel();
        Assert.True((long)LongSequenceModel.BackwardWorkspaceLength * sizeof(float) > 256 * 1024);
        model.InitializeParameters(3);
        var random = new Random(5);
        float[] Rand(int n) => Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        const int Steps = 200, I = 4, H = 64;
        float[] input = Rand(Steps * I), h0 = Rand(H), c0 = Rand(H), gy = Rand(Steps * H), gh = Rand(H), gc = Rand(H);
        var dx = new float[Steps * I];
        var dh0 = new float[H];
        var dc0 = new float[H];

        model.Backward(input, h0, c0, gy, gh, gc, dx, dh0, dc0);
        float[] pooled = model.Gradients.ToArray();
        float[] pooledDx = dx.ToArray();
        model.ZeroGradients();
        model.Backward(input, h0, c0, gy, gh, gc, dx, dh0, dc0, new float[LongSequenceModel.BackwardWorkspaceLength]);
        Assert.Equal(pooled, model.Gradients.ToArray());
        Assert.Equal(pooledDx, dx);

        Assert.Equal(0, AllocatedBy(() => model.Backward(input, h0, c0, gy, gh, gc, dx, dh0, dc0)));
    }
}
