using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Vigil.Cli.Bench;

namespace Vigil.Benchmarks.Ledger;

/// <summary>
/// <c>dotnet run -c Release --project bench/Vigil.Benchmarks -- ledger [--n N] [--ado-n N] [--jobs J] [--seconds S]</c>:
/// Vigil's durable throughput and fire lateness and Quartz.NET's (in-memory store and ADO store on
/// SQLite), one JSON line each, then a summary table.
/// </summary>
/// <remarks>
/// Each phase runs in a process of its own (this executable with <c>ledger-phase NAME</c>), one
/// after the other: no phase inherits another's heap, JIT state or thread pool, and Vigil's
/// process-wide SQLite settings (multi-thread mode) never meet Quartz's ADO store.
/// </remarks>
internal static class LedgerComparison
{
    /// <summary>The latency runs' warm-up, as <c>vigil bench latency</c>'s default.</summary>
    private const int LatencyWarmUpSeconds = 20;

    private static readonly string[] Phases =
    [
        "vigil-throughput", "quartz-ram-throughput", "quartz-ado-throughput",
        "vigil-latency", "quartz-ram-latency", "quartz-ado-latency",
        "vigil-latency-spread", "quartz-ram-latency-spread", "quartz-ado-latency-spread",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var reports = new List<JsonElement>();
        var failed = 0;
        foreach (var phase in Phases)
        {
            var (exit, lines, error) = await RunChildAsync(phase, args);
            foreach (var line in lines)
            {
                Console.WriteLine(line);
                using var json = JsonDocument.Parse(line);
                reports.Add(json.RootElement.Clone());
            }

            if (exit != 0 || lines.Count == 0)
            {
                failed++;
                Console.Error.WriteLine($"phase {phase} failed (exit {exit}): {error.Trim()}");
            }
        }

        Console.WriteLine();
        Console.WriteLine("| benchmark | runs/s | lateness p50 / p90 / p99 / max (ms) | load average |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var report in reports)
        {
            Console.WriteLine(SummaryRow(report));
        }

        return failed == 0 ? 0 : 1;
    }

    /// <summary>Runs one phase in this process and prints its JSON line (the child's side).</summary>
    public static async Task<int> RunPhaseAsync(string phase, string[] args)
    {
        var runs = Option(args, "--n", 20_000);
        var quartzAdoRuns = Option(args, "--ado-n", 2_000);
        var jobs = Option(args, "--jobs", 1000);
        var seconds = Option(args, "--seconds", 10);
        var options = new BenchOptions
        {
            Count = runs,
            Duration = TimeSpan.FromSeconds(seconds),
            MaxConcurrentRuns = 1024,
            Time = TimeProvider.System,
        };
        var latency = options with { Count = jobs, WarmUp = LatencyWarmUpSeconds };
        var report = phase switch
        {
            "vigil-throughput" => await ThroughputBench.RunAsync(options, CancellationToken.None),
            "quartz-ram-throughput" => await QuartzBench.ThroughputAsync(ado: false, runs),
            "quartz-ado-throughput" => await QuartzBench.ThroughputAsync(ado: true, quartzAdoRuns),
            "vigil-latency" => await LatencyBench.RunAsync(latency with { Spread = false }, CancellationToken.None),
            "quartz-ram-latency" => await QuartzBench.LatencyAsync(ado: false, jobs, seconds, spread: false),
            "quartz-ado-latency" => await QuartzBench.LatencyAsync(ado: true, jobs, seconds, spread: false),
            "vigil-latency-spread" => await LatencyBench.RunAsync(latency with { Spread = true }, CancellationToken.None),
            "quartz-ram-latency-spread" => await QuartzBench.LatencyAsync(ado: false, jobs, seconds, spread: true),
            "quartz-ado-latency-spread" => await QuartzBench.LatencyAsync(ado: true, jobs, seconds, spread: true),
            _ => null,
        };
        if (report is null)
        {
            await Console.Error.WriteLineAsync($"unknown phase '{phase}'; one of: {string.Join(", ", Phases)}");
            return 2;
        }

        Console.WriteLine(report.ToJson());
        return 0;
    }

    private static async Task<(int Exit, List<string> Lines, string Error)> RunChildAsync(string phase, string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Under `dotnet Vigil.Benchmarks.dll` the process is the host: name the assembly too.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(LedgerComparison).Assembly.Location);
        }

        start.ArgumentList.Add("ledger-phase");
        start.ArgumentList.Add(phase);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the phase process");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith('{'))
            .ToList();
        return (process.ExitCode, lines, await error);
    }

    private static string SummaryRow(JsonElement report)
    {
        var name = report.GetProperty("bench").GetString();
        if (report.TryGetProperty("slots", out var slots))
        {
            name += slots.GetString()!.StartsWith("spread", StringComparison.Ordinal) ? " (spread)" : " (same instant)";
        }

        var rate = report.TryGetProperty("runs_per_second", out var r) ? r.GetDouble().ToString("F0", CultureInfo.InvariantCulture) : "";
        var lateness = report.TryGetProperty("lateness_p50_ms", out _)
            ? string.Join(" / ", new[] { "p50", "p90", "p99", "max" }.Select(p => report.GetProperty($"lateness_{p}_ms").GetDouble().ToString("F1", CultureInfo.InvariantCulture)))
            : "";
        var load = report.TryGetProperty("load_average", out var l) ? l.ToString() : "";
        return $"| {name} | {rate} | {lateness} | {load} |";
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
