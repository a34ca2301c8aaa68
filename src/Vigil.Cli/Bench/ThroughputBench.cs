using System.Diagnostics;
using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Cli.Bench;

/// <summary>
/// Durable no-op runs per second through the whole path: insert pending → claim (running
/// committed) → handler → finish (committed), with the engine's group commit.
/// </summary>
/// <remarks>
/// The runs are manual runs of one job with <c>overlap: allow</c>, inserted by a producer in chunks
/// while the engine claims and finishes them; the clock stops when every run is recorded terminal.
/// </remarks>
internal static class ThroughputBench
{
    private const int InsertChunk = 1024;
    private const string JobName = "throughput";

    public static async Task<BenchReport> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var report = new BenchReport("throughput");
        await using var ledger = await BenchLedger.CreateAsync(options.Directory, options.Time, cancellationToken).ConfigureAwait(false);
        var store = ledger.Store;
        var created = options.Time.GetUtcNow();
        await store.UpsertJobAsync(BenchJobs.Handler(JobName, "0 0 1 1 *", created, overlap: OverlapPolicy.Allow), cancellationToken).ConfigureAwait(false);

        var handler = new NoOpHandler(options.Time);
        var host = EngineHost.Start(ledger, handler, options);
        await using (host.ConfigureAwait(false))
        {
            await host.ReadyAsync().ConfigureAwait(false);
            await host.FirstPassAsync().ConfigureAwait(false);

            // Warm-up: the same path, not timed, so that the figure is the steady state rather than
            // the JIT compiling the path (a daemon runs for days; the first seconds are not its speed).
            var warmUp = options.WarmUp;
            if (warmUp > 0)
            {
                await ProduceAsync(store, host, warmUp, created.AddDays(-2), cancellationToken).ConfigureAwait(false);
                await WaitAllFinishedAsync(store, host, handler, warmUp, cancellationToken).ConfigureAwait(false);
            }

            handler.Reset();

            var before = store.Statistics;
            var cpu = ProcessMeter.CpuTime();
            var clock = Stopwatch.StartNew();
            await ProduceAsync(store, host, options.Count, created.AddDays(-1), cancellationToken).ConfigureAwait(false);
            var inserted = clock.Elapsed;
            await WaitAllFinishedAsync(store, host, handler, options.Count, cancellationToken).ConfigureAwait(false);
            var elapsed = clock.Elapsed;
            var cpuSeconds = (ProcessMeter.CpuTime() - cpu).TotalSeconds;
            var after = store.Statistics;

            var succeeded = (await store.ListRunsAsync(new RunQuery { Job = JobName, State = RunState.Succeeded, Limit = options.Count + warmUp + 1 }, cancellationToken).ConfigureAwait(false)).Count - warmUp;
            var commits = after.Commits - before.Commits;
            var operations = after.Operations - before.Operations;
            report.Add("runs", options.Count)
                .Add("warmup_runs", warmUp)
                .Add("succeeded", succeeded)
                .Add("seconds", elapsed.TotalSeconds)
                .Add("runs_per_second", options.Count / elapsed.TotalSeconds)
                .Add("insert_seconds", inserted.TotalSeconds)
                .Add("cpu_seconds", cpuSeconds)
                .Add("cpu_microseconds_per_run", 1e6 * cpuSeconds / options.Count)
                .Add("commits", commits)
                .Add("operations", operations)
                .Add("commits_per_run", Math.Round((double)commits / options.Count, 4))
                .Add("operations_per_commit", commits == 0 ? 0 : (double)operations / commits)
                .Add("max_concurrent_runs", options.MaxConcurrentRuns)
                .Add("synchronous", "FULL");
        }

        return report;
    }

    private static async Task ProduceAsync(Vigil.Storage.Sqlite.SqliteRunStore store, EngineHost host, int count, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var inserts = new List<Task<long?>>(InsertChunk);
        var firstSlot = from;
        for (var i = 0; i < count; i++)
        {
            inserts.Add(store.InsertRunAsync(
                new NewRun { Job = JobName, Slot = firstSlot.AddMilliseconds(i), Trigger = RunTrigger.Manual },
                from,
                cancellationToken));
            if (inserts.Count == InsertChunk || i == count - 1)
            {
                await Task.WhenAll(inserts).ConfigureAwait(false);
                inserts.Clear();
                host.Engine.Wake();
            }
        }
    }

    /// <summary>Every run started and none is running or pending in the ledger any more.</summary>
    private static async Task WaitAllFinishedAsync(Vigil.Storage.Sqlite.SqliteRunStore store, EngineHost host, NoOpHandler handler, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (handler.Calls >= count && host.Engine.RunningCount == 0
                && await store.CountRunningAsync(JobName, cancellationToken).ConfigureAwait(false) == 0)
            {
                return;
            }

            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }
}
