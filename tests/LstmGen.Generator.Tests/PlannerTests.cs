using LstmGen.Generator;
using Xunit;

namespace LstmGen.Generator.Tests;

/// <summary>The planner is pure: its decisions are checked without Roslyn.</summary>
public sealed class PlannerTests
{
    [Theory]
    // hidden, maxLanes, accumulators -> lanes, full groups, tail, groups per chunk, loop chunks, final full groups
    [InlineData(64, 16, 16, 16, 4, false, 4, 1, 0)]   // 16 zmm accumulators: all 4H = 256 pre-activations in registers
    [InlineData(128, 16, 16, 16, 8, false, 4, 2, 0)]  // two chunks of 16 accumulators
    [InlineData(8, 16, 16, 8, 1, false, 1, 1, 0)]     // too small for 16 lanes: 8-lane vectors on AVX-512
    [InlineData(17, 16, 16, 16, 1, true, 2, 0, 1)]    // a full group and an overlapping tail group
    [InlineData(33, 16, 16, 16, 2, true, 3, 0, 2)]
    [InlineData(24, 16, 16, 16, 1, true, 2, 0, 1)]    // 2 groups of 16 beat 3 groups of 8
    [InlineData(12, 16, 16, 8, 1, true, 2, 0, 1)]
    [InlineData(64, 8, 12, 8, 8, false, 3, 2, 2)]     // AVX2: 3 + 3 + 2 groups, 12 ymm accumulators
    [InlineData(5, 4, 12, 4, 1, true, 2, 0, 1)]
    [InlineData(3, 16, 16, 1, 3, false, 1, 0, 0)]     // below 4 units: scalar
    [InlineData(64, 1, 12, 1, 64, false, 1, 0, 0)]    // the scalar path
    public void Kernel_plan_for_known_sizes(int hidden, int maxLanes, int accumulators, int lanes, int fullGroups, bool tail, int perChunk, int loopChunks, int finalFull)
    {
        KernelPlan plan = Planner.PlanKernel(hidden, maxLanes, accumulators);
        Assert.Equal(new KernelPlan(lanes, fullGroups, tail, perChunk, loopChunks, finalFull), plan);
    }

    [Fact]
    public void Every_hidden_size_is_covered_exactly_and_fits_the_register_budget()
    {
        foreach ((int maxLanes, int accumulators) in new[] { (16, 16), (8, 12), (4, 12) })
        {
            for (int hidden = 1; hidden <= 600; hidden++)
            {
                KernelPlan plan = Planner.PlanKernel(hidden, maxLanes, accumulators);
                if (plan.IsScalar)
                {
                    Assert.True(hidden < 4 || maxLanes == 1);
                    continue;
                }

                // Units covered: every unit in [0, hidden) by some group, none beyond.
                var covered = new bool[hidden];
                int groups = plan.LoopChunks * plan.GroupsPerChunk + plan.FinalChunkFullGroups;
                Assert.Equal(plan.FullGroups, groups);
                for (int g = 0; g < groups; g++)
                {
                    for (int lane = 0; lane < plan.Lanes; lane++)
                    {
                        covered[g * plan.Lanes + lane] = true;
                    }
                }

                if (plan.HasTailGroup)
                {
                    Assert.True(hidden >= plan.Lanes);
                    for (int unit = hidden - plan.Lanes; unit < hidden; unit++)
                    {
                        covered[unit] = true;
                    }
                }

                Assert.All(covered, Assert.True);
                Assert.True(4 * plan.GroupsPerChunk <= accumulators);
                Assert.True(plan.FinalChunkGroups <= plan.GroupsPerChunk);
            }
        }
    }

    [Fact]
    public void Plan_offsets_and_stack_bytes()
    {
        LstmPlan plan = Planner.Plan(new LstmSpec("M", "N", EquatableArray<TypeDeclaration>.Empty, 16, 64, 32, false));
        Assert.Equal(256, plan.GateCount);
        Assert.Equal(4 * 64 * 16 + 4 * 64 * 64 + 8 * 64, plan.ParameterCount);
        Assert.Equal(256 * 16, plan.WeightHhOffset);
        Assert.Equal(256 * 80, plan.BiasIhOffset);
        Assert.Equal(256 * 81, plan.BiasHhOffset);
        Assert.Equal(4 * 256, plan.StepStackBytes); // the scalar kernel's 4H pre-activations dominate
        Assert.Equal(16, plan.Paths[0].Kernel.Lanes);
        Assert.Equal(8, plan.Paths[1].Kernel.Lanes);
        Assert.Equal(4, plan.Paths[2].Kernel.Lanes);
        Assert.True(plan.Paths[3].Kernel.IsScalar);
    }
}
