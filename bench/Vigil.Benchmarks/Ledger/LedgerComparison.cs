using System.Globalization;
using Vigil.Cli.Bench;

namespace Vigil.Benchmarks.Ledger;

/// <summary>
/// <c>dotnet run -c Release --project bench/Vigil.Benchmarks -- ledger [--n N] [--jobs J] [--seconds S]</c>:
/// Vigil's durable throughput and fire lateness and Quartz.NET's (in-memory store and ADO store on
/// SQLite) measured one after the other in one process, one JSON line each, then a summary table.
/// </summary>
internal static class LedgerComparison
{
    /// <summary>The latency runs' warm-up, as <c>vigil bench latency</c>'s default.</summary>
    private const int LatencyWarmUpSeconds = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = Option(args, "--n", 20_000);
        var quartzAdoRuns = Option(args, "--ado-n", 2_000);
        var jobs = Option(args, "--jobs", 1000);
        var seconds = Option(args, "--seconds", 10);
        var reports = new List<BenchReport>();

        void Print(BenchReport report)
        {
            reports.Add(report);
            Console.WriteLine(report.ToJson());
        }

        var options = new BenchOptions
        {
            Count = runs,
            Duration = TimeSpan.FromSeconds(seconds),
            MaxConcurrentRuns = 1024,
            Time = TimeProvider.System,
        };
        Print(await ThroughputBench.RunAsync(options, CancellationToken.None));
        Print(await QuartzBench.ThroughputAsync(ado: false, runs));
        Print(await QuartzBench.ThroughputAsync(ado: true, quartzAdoRuns));
        foreach (var spread in new[] { false, true })
        {
            Print(await LatencyBench.RunAsync(options with { Count = jobs, Spread = spread, WarmUp = LatencyWarmUpSeconds }, CancellationToken.None));
            Print(await QuartzBench.LatencyAsync(ado: false, jobs, seconds, spread));
            Print(await QuartzBench.LatencyAsync(ado: true, jobs, seconds, spread));
        }

        Console.WriteLine();
        Console.WriteLine("| benchmark | runs/s | lateness p50 / p90 / p99 / max (ms) | load average |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var report in reports)
        {
            var name = (string)report["bench"]!;
            if (report["slots"] is string slots)
            {
                name += slots.StartsWith("spread", StringComparison.Ordinal) ? " (spread)" : " (same instant)";
            }

            var rate = report["runs_per_second"] is double r ? r.ToString("F0", CultureInfo.InvariantCulture) : "";
            var lateness = report["lateness_p50_ms"] is double p50
                ? string.Join(" / ", new[] { p50, (double)report["lateness_p90_ms"]!, (double)report["lateness_p99_ms"]!, (double)report["lateness_max_ms"]! }.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)))
                : "";
            Console.WriteLine($"| {name} | {rate} | {lateness} | {report["load_average"]} |");
        }

        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
