using BenchmarkDotNet.Running;
using Vigil.Benchmarks.Ledger;

namespace Vigil.Benchmarks;

/// <summary>
/// <c>ledger</c> runs the side-by-side ledger comparison with Quartz.NET (<see cref="LedgerComparison"/>);
/// anything else goes to BenchmarkDotNet's command line, e.g. <c>--filter '*'</c>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "ledger")
        {
            return await LedgerComparison.RunAsync(args[1..]);
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
    }
}
