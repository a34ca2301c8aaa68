using Microsoft.Extensions.Logging;
using Vigil.Configuration;
using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Cli.Daemon;

/// <summary>
/// Brings the ledger's jobs in line with the config: declared jobs are added or replaced, config jobs
/// no longer declared are marked removed (history kept), API jobs are left alone. The config wins for
/// the names it declares.
/// </summary>
internal static partial class JobSync
{
    public static async Task<ReconcilePlan> ApplyAsync(IRunStore store, VigilConfig config, DateTimeOffset now, ILogger logger, CancellationToken cancellationToken)
    {
        var stored = await store.ListJobsAsync(includeRemoved: true, cancellationToken).ConfigureAwait(false);
        var plan = JobReconciler.Plan(config.Jobs, stored);
        var byName = stored.ToDictionary(j => j.Name, StringComparer.Ordinal);
        foreach (var definition in plan.ToUpsert)
        {
            byName.TryGetValue(definition.Name, out var existing);
            var live = existing is { RemovedAt: null };
            await store.UpsertJobAsync(
                new StoredJob
                {
                    Name = definition.Name,
                    Definition = JobCodec.Serialize(definition),
                    Source = JobSource.Config,
                    Paused = live && existing!.Paused,
                    CreatedAt = live ? existing!.CreatedAt : now,
                    UpdatedAt = now,
                },
                cancellationToken).ConfigureAwait(false);
        }

        foreach (var removed in plan.Removed)
        {
            await store.RemoveJobAsync(removed.Name, now, cancellationToken).ConfigureAwait(false);
        }

        foreach (var conflict in plan.Conflicts)
        {
            LogConflict(logger, conflict.Warning);
        }

        if (plan.HasChanges)
        {
            LogApplied(logger, plan.Added.Count, plan.Changed.Count + plan.Conflicts.Count, plan.Removed.Count);
        }

        return plan;
    }

    [LoggerMessage(101, LogLevel.Warning, "{Warning}")]
    private static partial void LogConflict(ILogger logger, string warning);

    [LoggerMessage(102, LogLevel.Information, "Config applied: {Added} job(s) added, {Changed} changed, {Removed} removed")]
    private static partial void LogApplied(ILogger logger, int added, int changed, int removed);
}
