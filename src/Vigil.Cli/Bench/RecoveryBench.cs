using System.Diagnostics;
using Vigil.Ledger;

namespace Vigil.Cli.Bench;

/// <summary>
/// Recovery: N runs left <c>running</c> by an earlier incarnation of this node (which "died"), then
/// the engine starts; measured until <see cref="Engine.VigilEngine.Ready"/>, which completes once
/// every one of them is recorded interrupted and its next attempt is pending (one transaction).
/// </summary>
internal static class RecoveryBench
{
    private const int Chunk = 4096;
    private const string JobName = "recovery";
    private const string Node = "bench";

    public static async Task<BenchReport> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var report = new BenchReport("recovery");
        await using var ledger = await BenchLedger.CreateAsync(options.Directory, options.Time, cancellationToken).ConfigureAwait(false);
        var store = ledger.Store;
        var now = options.Time.GetUtcNow();
        await store.UpsertJobAsync(BenchJobs.Handler(JobName, "0 0 1 1 *", now.AddDays(-1)), cancellationToken).ConfigureAwait(false);
        await LeaveRunningAsync(store, options.Count, now, cancellationToken).ConfigureAwait(false);

        var host = EngineHost.Start(ledger, new NoOpHandler(options.Time), options, Node);
        await using (host.ConfigureAwait(false))
        {
            var recovery = await host.ReadyAsync().ConfigureAwait(false);
            var ready = Stopwatch.GetElapsedTime(host.Started);

            var interrupted = await CountAsync(store, RunState.Interrupted, options.Count, cancellationToken).ConfigureAwait(false);
            var requeued = await CountAsync(store, RunState.Pending, options.Count, cancellationToken).ConfigureAwait(false);
            report.Add("runs", options.Count)
                .Add("interrupted", interrupted)
                .Add("requeued", requeued)
                .Add("ready_ms", ready.TotalMilliseconds)
                .Add("recovery_ms", recovery.Elapsed.TotalMilliseconds)
                .Add("synchronous", "FULL");
        }

        return report;
    }

    /// <summary>An incarnation that claims <paramref name="count"/> runs and then "dies" (never stops).</summary>
    private static async Task LeaveRunningAsync(Vigil.Storage.Sqlite.SqliteRunStore store, int count, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var startedAt = now.AddMinutes(-1);
        var dead = await store.StartIncarnationAsync(Node, 1, startedAt, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        var firstSlot = now.AddMinutes(-10);
        for (var start = 0; start < count; start += Chunk)
        {
            var size = Math.Min(Chunk, count - start);
            var ids = await Task.WhenAll(Enumerable.Range(start, size).Select(i => store.InsertRunAsync(
                new NewRun { Job = JobName, Slot = firstSlot.AddMilliseconds(i) },
                startedAt,
                cancellationToken))).ConfigureAwait(false);
            var claims = await Task.WhenAll(ids.Select(id => store.ClaimAsync(id!.Value, dead, startedAt, startedAt.AddHours(1), cancellationToken))).ConfigureAwait(false);
            if (claims.Any(c => c != ClaimResult.Claimed))
            {
                throw new InvalidOperationException("setting up the interrupted runs failed: a claim was refused");
            }
        }
    }

    private static async Task<int> CountAsync(Vigil.Storage.Sqlite.SqliteRunStore store, RunState state, int count, CancellationToken cancellationToken) =>
        (await store.ListRunsAsync(new RunQuery { Job = JobName, State = state, Limit = count + 1 }, cancellationToken).ConfigureAwait(false)).Count;
}
