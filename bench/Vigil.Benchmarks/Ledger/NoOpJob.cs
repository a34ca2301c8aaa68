using Quartz;

namespace Vigil.Benchmarks.Ledger;

/// <summary>Quartz's counterpart of the Vigil benchmark's no-op handler: counts calls and records lateness.</summary>
public sealed class NoOpJob : IJob
{
    private static double[] s_lateness = [];
    private static int s_calls;
    private static int s_recorded;
    private static DateTimeOffset s_recordFrom = DateTimeOffset.MaxValue;
    private static DateTimeOffset s_recordUntil = DateTimeOffset.MaxValue;

    public static int Calls => Volatile.Read(ref s_calls);

    public static ReadOnlySpan<double> Lateness => s_lateness.AsSpan(0, Math.Min(Volatile.Read(ref s_recorded), s_lateness.Length));

    public static void Reset(int capacity = 0, DateTimeOffset? recordFrom = null, DateTimeOffset? recordUntil = null)
    {
        s_lateness = new double[capacity];
        s_calls = 0;
        s_recorded = 0;
        s_recordFrom = recordFrom ?? DateTimeOffset.MaxValue;
        s_recordUntil = recordUntil ?? DateTimeOffset.MaxValue;
    }

    public Task Execute(IJobExecutionContext context)
    {
        Interlocked.Increment(ref s_calls);
        var slot = context.ScheduledFireTimeUtc;
        if (s_lateness.Length > 0 && slot is { } scheduled && scheduled >= s_recordFrom && scheduled < s_recordUntil)
        {
            var late = (DateTimeOffset.UtcNow - scheduled).TotalMilliseconds;
            var index = Interlocked.Increment(ref s_recorded) - 1;
            if (index < s_lateness.Length)
            {
                s_lateness[index] = late;
            }
        }

        return Task.CompletedTask;
    }
}
