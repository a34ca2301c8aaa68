using BenchmarkDotNet.Attributes;
using Vigil.Scheduling;
using QuartzCron = Quartz.CronExpression;

namespace Vigil.Benchmarks;

/// <summary>
/// The next occurrence strictly after an instant, in Europe/Berlin: Vigil's
/// <see cref="Schedule.GetNextOccurrence"/> against Quartz's <see cref="QuartzCron.GetNextValidTimeAfter"/>.
/// </summary>
/// <remarks>
/// Each invocation asks for the next occurrence after every instant of a fixed set (random instants
/// over 2026-2027 plus instants on both sides of each DST transition), so the figures are per call,
/// averaged over the set.
/// </remarks>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class NextOccurrenceBenchmarks
{
    private const int InstantCount = 64;

    private DateTimeOffset[] _instants = [];
    private Schedule _vigil = null!;
    private QuartzCron _quartz = null!;

    [ParamsSource(nameof(Expressions))]
    public string Expression { get; set; } = "";

    public static IEnumerable<string> Expressions => BenchCases.Expressions;

    [GlobalSetup]
    public void Setup()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(BenchCases.Zone);
        _vigil = Schedule.Parse(Expression, zone);
        _quartz = new QuartzCron(BenchCases.ToQuartz(Expression)) { TimeZone = zone };
        _instants = Instants();

        // Both engines build their caches (Vigil's zone transition table) outside the measurement.
        foreach (var instant in _instants)
        {
            _ = _vigil.GetNextOccurrence(instant);
            _ = _quartz.GetNextValidTimeAfter(instant);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = InstantCount)]
    public long Quartz()
    {
        long sum = 0;
        foreach (var instant in _instants)
        {
            sum += _quartz.GetNextValidTimeAfter(instant)!.Value.UtcTicks;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = InstantCount)]
    public long Vigil()
    {
        long sum = 0;
        foreach (var instant in _instants)
        {
            sum += _vigil.GetNextOccurrence(instant)!.Value.UtcTicks;
        }

        return sum;
    }

    private static DateTimeOffset[] Instants()
    {
        var random = new Random(2026);
        var instants = new DateTimeOffset[InstantCount];
        // Around each transition: spring forward 2026-03-29 01:00Z, fall back 2026-10-25 01:00Z.
        DateTimeOffset[] transitions = [new(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), new(2026, 10, 25, 1, 0, 0, TimeSpan.Zero)];
        var i = 0;
        foreach (var transition in transitions)
        {
            foreach (var minutes in new[] { -90, -30, -1, 0, 1, 30, 90, 150 })
            {
                instants[i++] = transition.AddMinutes(minutes);
            }
        }

        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        var end = new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        for (; i < instants.Length; i++)
        {
            var ticks = random.NextInt64(start, end);
            instants[i] = new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        }

        return instants;
    }
}
