using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Vigil.Benchmarks.Ledger;

namespace Vigil.Benchmarks;

/// <summary>
/// <c>ledger</c> runs the side-by-side ledger comparison with Quartz.NET (<see cref="LedgerComparison"/>),
/// each phase a <c>ledger-phase NAME</c> child process;
/// anything else goes to BenchmarkDotNet's command line, e.g. <c>--filter '*'</c>.
/// <c>--quick</c> swaps the default job for a short one (1 warm-up, 3 iterations): a smoke run for CI,
/// not figures to publish.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "ledger")
        {
            return await LedgerComparison.RunAsync(args[1..]);
        }

        if (args.Length > 1 && args[0] == "ledger-phase")
        {
            return await LedgerComparison.RunPhaseAsync(args[1], args[2..]);
        }

        var quick = args.Contains("--quick");
        var config = quick
            ? DefaultConfig.Instance.AddJob(Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithId("Quick"))
            : DefaultConfig.Instance;
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
            .Run([.. args.Where(arg => arg != "--quick")], config);
        return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
    }
}
