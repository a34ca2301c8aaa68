using BenchmarkDotNet.Attributes;
using Vigil.Scheduling;

namespace Vigil.Benchmarks;

/// <summary>
/// The pieces of <see cref="CronSchedule.NextTicks"/> measured alone (Europe/Berlin, <c>0 22 * * *</c>),
/// to see where the time goes: the zone look-up, the local-time search, and the whole.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private const int Count = 64;
    private long[] _utc = [];
    private ZoneRules _rules = null!;
    private CronExpression _cron = null!;
    private CronSchedule _schedule = null!;

    [GlobalSetup]
    public void Setup()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(BenchCases.Zone);
        _schedule = (CronSchedule)Schedule.Parse("0 22 * * *", zone);
        _cron = _schedule.Cron;
        _rules = ZoneRules.For(zone);
        var random = new Random(2026);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        var end = new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        _utc = new long[Count];
        for (var i = 0; i < Count; i++)
        {
            _utc[i] = random.NextInt64(start, end);
        }

        _ = NextTicks();
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public long NextTicks()
    {
        long sum = 0;
        foreach (var t in _utc)
        {
            sum += _schedule.NextTicks(t);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public long TryLocate()
    {
        long sum = 0;
        foreach (var t in _utc)
        {
            sum += _rules.TryLocate(t, out var location) ? location.NextAt : 0;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public long NextLocal()
    {
        long sum = 0;
        foreach (var t in _utc)
        {
            sum += _cron.NextLocal(t);
        }

        return sum;
    }
}
