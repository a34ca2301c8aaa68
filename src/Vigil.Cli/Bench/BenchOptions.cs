namespace Vigil.Cli.Bench;

/// <summary>What <c>vigil bench</c> was asked to measure and how big.</summary>
internal sealed record BenchOptions
{
    /// <summary>How many runs, jobs or interrupted runs (the meaning depends on the benchmark).</summary>
    public required int Count { get; init; }

    /// <summary>How long a timed phase lasts (latency, idle CPU).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The directory the temporary ledger is created in (default: the system's temporary directory).</summary>
    public string? Directory { get; init; }

    /// <summary>The engine's <c>max_concurrent_runs</c> for the benchmark.</summary>
    public required int MaxConcurrentRuns { get; init; }

    /// <summary>Untimed work first: throughput, runs through the same path; latency, seconds.</summary>
    public int WarmUp { get; init; } = 50_000;

    /// <summary>Latency: spread the jobs' slots evenly over the second instead of firing all at the same instant.</summary>
    public bool Spread { get; init; }

    /// <summary>Scale: every job's definition differs from the others' (not only by its name).</summary>
    public bool Distinct { get; init; }

    /// <summary>The clock the engine reads.</summary>
    public required TimeProvider Time { get; init; }
}
