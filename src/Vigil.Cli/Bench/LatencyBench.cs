namespace Vigil.Cli.Bench;

/// <summary>
/// Fire lateness: N jobs on <c>every 1s</c> (all on the same instant, or spread over the second);
/// lateness = when the action starts (after its running mark is committed) minus the slot instant.
/// </summary>
/// <remarks>
/// The first <see cref="BenchOptions.WarmUp"/> seconds (default 20) are a warm-up and are not
/// recorded: the JIT's tiered compilation recompiles the start path during the first bursts, on the
/// same two cores.
/// </remarks>
internal static class LatencyBench
{

    public static async Task<BenchReport> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var report = new BenchReport("latency");
        await using var ledger = await BenchLedger.CreateAsync(options.Directory, options.Time, cancellationToken).ConfigureAwait(false);
        var store = ledger.Store;
        var time = options.Time;
        var created = time.GetUtcNow();
        var anchor = new DateTimeOffset(created.UtcTicks - (created.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var step = options.Spread ? TimeSpan.FromSeconds(1) / options.Count : TimeSpan.Zero;
        await BenchJobs.UpsertAllAsync(
            store,
            Enumerable.Range(0, options.Count).Select(i => BenchJobs.Handler($"latency-{i:D7}", "every 1s", created, anchor + (step * i))),
            cancellationToken).ConfigureAwait(false);

        var seconds = (int)Math.Ceiling(options.Duration.TotalSeconds);
        var handler = new NoOpHandler(time, capacity: (options.Count * (seconds + 2)) + 1024);
        var host = EngineHost.Start(ledger, handler, options);
        await using (host.ConfigureAwait(false))
        {
            await host.ReadyAsync().ConfigureAwait(false);
            var readyAt = time.GetUtcNow();
            var from = anchor + TimeSpan.FromSeconds(Math.Ceiling((readyAt - anchor).TotalSeconds)) + TimeSpan.FromSeconds(options.WarmUp);
            var until = from + TimeSpan.FromSeconds(seconds);
            handler.RecordFrom = from;
            handler.RecordUntil = until;
            var before = store.Statistics;
            var window = System.Diagnostics.Stopwatch.StartNew();
            var cpu = ProcessMeter.CpuTime();

            // Wait past the last recorded slot, plus a second for its runs to start and finish.
            var end = until + TimeSpan.FromSeconds(1);
            var wait = end - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            var after = store.Statistics;
            var windowSeconds = window.Elapsed.TotalSeconds;
            var cpuShare = (ProcessMeter.CpuTime() - cpu).TotalSeconds / windowSeconds;
            var expected = (long)options.Count * seconds;
            report.Add("jobs", options.Count)
                .Add("cadence", "every 1s")
                .Add("slots", options.Spread ? "spread over the second" : "all on the same instant")
                .Add("seconds", seconds)
                .Add("warmup_seconds", options.WarmUp)
                .Add("expected_runs", expected)
                .Add("recorded_runs", handler.Lateness.Length + handler.Overflow);
            Percentiles.AddTo(report, "lateness", handler.Lateness);
            var commits = after.Commits - before.Commits;
            report.Add("commits_per_second", commits / windowSeconds)
                .Add("operations_per_commit", commits == 0 ? 0 : (double)(after.Operations - before.Operations) / commits)
                .Add("cpu_cores_used", cpuShare)
                .Add("max_concurrent_runs", options.MaxConcurrentRuns)
                .Add("synchronous", "FULL");
        }

        return report;
    }
}
