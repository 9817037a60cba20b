using System;

namespace LstmGen.Tests;

/// <summary>Heap bytes an action allocates on the calling thread, measured without a garbage collection in the way.</summary>
internal static class Allocations
{
    /// <summary>
    /// Runs <paramref name="action"/> three times and returns the fewest bytes this thread allocated during one run
    /// (<see cref="GC.GetAllocatedBytesForCurrentThread"/>). A garbage collection during a run (other tests allocate in
    /// parallel) retires this thread's allocation context, whose unused remainder (up to a few KB) then counts as
    /// allocated: such a run is repeated. A one-off runtime event inside a run can do the same without a counted
    /// collection (seen twice in about twenty full runs, each time right after a build), hence the minimum of three:
    /// an allocation in the hot path shows up in every run.
    /// </summary>
    public static long Measure(Action action)
    {
        long fewest = long.MaxValue;
        int clean = 0;
        for (int attempt = 0; attempt < 30 && clean < 3; attempt++)
        {
            int collections = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) == collections)
            {
                clean++;
                fewest = Math.Min(fewest, allocated);
            }
        }

        return clean > 0 ? fewest : throw new InvalidOperationException("a garbage collection interrupted every one of 30 measurements");
    }
}
