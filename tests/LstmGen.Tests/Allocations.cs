using System;

namespace LstmGen.Tests;

/// <summary>Heap bytes an action allocates on the calling thread, measured without a garbage collection in the way.</summary>
internal static class Allocations
{
    /// <summary>
    /// Runs <paramref name="action"/> and returns the bytes this thread allocated meanwhile
    /// (<see cref="GC.GetAllocatedBytesForCurrentThread"/>). A garbage collection during the run (other tests allocate in
    /// parallel) retires this thread's allocation context, whose unused remainder (up to a few KB) then counts as
    /// allocated: such a run is repeated.
    /// </summary>
    public static long Measure(Action action)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            int collections = GC.CollectionCount(0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (GC.CollectionCount(0) == collections)
            {
                return allocated;
            }
        }

        throw new InvalidOperationException("a garbage collection interrupted every one of 20 measurements");
    }
}
