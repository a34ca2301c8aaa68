using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace Vigil.Benchmarks;

/// <summary>
/// Runs the benchmarks with BenchmarkDotNet's command line, e.g. <c>--filter '*'</c>.
/// <c>--quick</c> swaps the default job for a short one (1 warm-up, 3 iterations): a smoke run for CI,
/// not figures to publish.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var quick = args.Contains("--quick");
        var config = quick
            ? DefaultConfig.Instance.AddJob(Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithId("Quick"))
            : DefaultConfig.Instance;
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
            .Run([.. args.Where(arg => arg != "--quick")], config);
        return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
    }
}
