using BenchmarkDotNet.Attributes;
using Vigil.Scheduling;
using QuartzCron = Quartz.CronExpression;

namespace Vigil.Benchmarks;

/// <summary>Parsing: Vigil's <see cref="Schedule.Parse"/> (to a schedule bound to a zone) against <c>new Quartz.CronExpression(...)</c>.</summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ParseBenchmarks
{
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private string _quartzText = "";

    [ParamsSource(nameof(Expressions))]
    public string Expression { get; set; } = "";

    public static IEnumerable<string> Expressions => BenchCases.Expressions;

    [GlobalSetup]
    public void Setup()
    {
        _zone = TimeZoneInfo.FindSystemTimeZoneById(BenchCases.Zone);
        _quartzText = BenchCases.ToQuartz(Expression);
    }

    [Benchmark(Baseline = true)]
    public QuartzCron Quartz() => new(_quartzText) { TimeZone = _zone };

    [Benchmark]
    public Schedule Vigil() => Schedule.Parse(Expression, _zone);
}
