using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Supervision;

namespace Vigil.Cli.Bench;

/// <summary>The jobs the benchmarks register: in-process handlers, so nothing but the engine and the ledger is measured.</summary>
internal static class BenchJobs
{
    /// <summary>The name the benchmarks register their handler under.</summary>
    public const string HandlerName = "bench-noop";

    /// <summary>A stored job running <see cref="HandlerName"/> on <paramref name="schedule"/> (UTC).</summary>
    public static StoredJob Handler(string name, string schedule, DateTimeOffset createdAt, DateTimeOffset? anchor = null, OverlapPolicy overlap = OverlapPolicy.Skip, TimeSpan? timeout = null) => new()
    {
        Name = name,
        Definition = JobCodec.Serialize(new JobDefinition
        {
            Name = name,
            Schedule = schedule,
            TimeZone = "UTC",
            Anchor = anchor,
            Action = new HandlerAction { Name = HandlerName },
            Policies = JobPolicies.Default with { Overlap = overlap, Timeout = timeout ?? JobPolicies.Default.Timeout },
            Source = JobSource.Api,
        }),
        Source = JobSource.Api,
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };

    /// <summary>A registry holding <paramref name="handler"/> under <see cref="HandlerName"/>.</summary>
    public static HandlerRegistry Registry(IJobHandler handler)
    {
        var registry = new HandlerRegistry();
        registry.Register(HandlerName, handler);
        return registry;
    }

    /// <summary>Upserts <paramref name="jobs"/> in chunks that the writer can group-commit.</summary>
    public static async Task UpsertAllAsync(IRunStore store, IEnumerable<StoredJob> jobs, CancellationToken cancellationToken)
    {
        var pending = new List<Task>(4096);
        foreach (var job in jobs)
        {
            pending.Add(store.UpsertJobAsync(job, cancellationToken));
            if (pending.Count == pending.Capacity)
            {
                await Task.WhenAll(pending).ConfigureAwait(false);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }
}
