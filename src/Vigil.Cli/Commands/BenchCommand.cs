using System.CommandLine;
using Vigil.Cli.Bench;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil bench throughput|latency|recovery|scale</c>: measures this machine on a temporary
/// SQLite ledger (the daemon's settings, <c>synchronous=FULL</c>) and prints one JSON line of figures.
/// </summary>
internal sealed class BenchCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _kind = new("KIND")
    {
        Description = "throughput (durable no-op runs per second), latency (fire lateness of N jobs every second), "
            + "recovery (N runs left running by a dead process), scale (idle cost of 1,000 jobs; start with N jobs)",
    };

    private readonly Option<int?> _count = new("--n")
    {
        Description = "How many: runs (throughput, default 50000), jobs (latency, default 1000), "
            + "interrupted runs (recovery, default 10000), registered jobs (scale, default 100000)",
        HelpName = "N",
    };

    private readonly Option<double?> _seconds = new("--seconds")
    {
        Description = "How long the timed window lasts: latency (default 10), scale's idle phase (default 10)",
        HelpName = "S",
    };

    private readonly Option<string?> _directory = new("--dir")
    {
        Description = "Create the temporary ledger under this directory (default: the system's temporary directory); it is deleted afterwards",
        HelpName = "DIR",
    };

    private readonly Option<int> _concurrency = new("--concurrency")
    {
        Description = "The engine's max_concurrent_runs during the benchmark",
        HelpName = "N",
        DefaultValueFactory = _ => 1024,
    };

    private readonly Option<int?> _warmUp = new("--warmup")
    {
        Description = "Untimed work first, so the figures are the steady state rather than the JIT tiering up: throughput, runs (default 50000); latency, seconds (default 20)",
        HelpName = "N",
    };

    private readonly Option<bool> _spread = new("--spread")
    {
        Description = "latency: spread the jobs' slots evenly over the second instead of all on the same instant",
    };

    private readonly Option<bool> _distinct = new("--distinct")
    {
        Description = "scale: give every job a definition of its own (a different timeout) instead of one shared template",
    };

    /// <summary>Creates the command.</summary>
    public BenchCommand(CliContext context)
        : base("bench", "Measure this machine on a temporary ledger and print one JSON line of figures")
    {
        _context = context;
        Arguments.Add(_kind);
        Options.Add(_count);
        Options.Add(_seconds);
        Options.Add(_directory);
        Options.Add(_concurrency);
        Options.Add(_warmUp);
        Options.Add(_spread);
        Options.Add(_distinct);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var kind = parseResult.GetValue(_kind)!;
        var (defaultCount, run) = kind switch
        {
            "throughput" => (50_000, (Func<BenchOptions, CancellationToken, Task<BenchReport>>)ThroughputBench.RunAsync),
            "latency" => (1000, LatencyBench.RunAsync),
            "recovery" => (10_000, RecoveryBench.RunAsync),
            "scale" => (100_000, ScaleBench.RunAsync),
            _ => throw new UsageException($"unknown benchmark '{kind}': use throughput, latency, recovery or scale"),
        };
        var count = parseResult.GetValue(_count) ?? defaultCount;
        if (count is < 1 or > 10_000_000)
        {
            throw new UsageException("--n must be between 1 and 10000000");
        }

        var seconds = parseResult.GetValue(_seconds) ?? 10;
        if (seconds is < 1 or > 3600 || double.IsNaN(seconds))
        {
            throw new UsageException("--seconds must be between 1 and 3600");
        }

        var concurrency = parseResult.GetValue(_concurrency);
        if (concurrency is < 1 or > 100_000)
        {
            throw new UsageException("--concurrency must be between 1 and 100000");
        }

        var warmUp = parseResult.GetValue(_warmUp) ?? (kind == "latency" ? 20 : 50_000);
        if (warmUp is < 0 or > 10_000_000)
        {
            throw new UsageException("--warmup must be between 0 and 10000000");
        }

        var options = new BenchOptions
        {
            WarmUp = warmUp,
            Count = count,
            Duration = TimeSpan.FromSeconds(seconds),
            Directory = parseResult.GetValue(_directory),
            MaxConcurrentRuns = concurrency,
            Spread = parseResult.GetValue(_spread),
            Distinct = parseResult.GetValue(_distinct),
            Time = _context.Time,
        };
        var report = await run(options, cancellationToken).ConfigureAwait(false);
        await _context.Out.WriteLineAsync(report.ToJson()).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
