using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Ledger;

namespace Vigil.Jobs;

/// <summary>
/// Compares the jobs a config file declares with the jobs the ledger holds and says what a load or
/// reload must write. Pure: it reads nothing and writes nothing; the daemon applies the plan.
/// </summary>
/// <remarks>
/// <para>The config wins for the names it declares: a declared name that belongs to a job created
/// through the API replaces that job (a <see cref="JobConflict"/>, logged as a warning). Jobs
/// created through the API that the config does not name are left alone, so they survive reloads.</para>
/// <para>A config job that is no longer declared is removed (disabled, its history kept), never
/// deleted. Definitions are compared as <see cref="JobCodec"/> JSON after a round trip of the stored
/// text, so that a definition stored by an older codec is not reported as changed for its layout alone.</para>
/// </remarks>
public static class JobReconciler
{
    /// <summary>The plan that brings <paramref name="stored"/> in line with <paramref name="declared"/>.</summary>
    /// <param name="declared">The config's jobs (all with <see cref="JobSource.Config"/>, names unique).</param>
    /// <param name="stored">Every stored job, removed ones included.</param>
    /// <exception cref="ArgumentException">A declared job is not config-sourced, or two share a name.</exception>
    public static ReconcilePlan Plan(IReadOnlyList<JobDefinition> declared, IReadOnlyList<StoredJob> stored)
    {
        ArgumentNullException.ThrowIfNull(declared);
        ArgumentNullException.ThrowIfNull(stored);

        var declaredNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in declared)
        {
            if (job.Source != JobSource.Config)
            {
                throw new ArgumentException($"job \"{job.Name}\" is not a config job", nameof(declared));
            }

            if (!declaredNames.Add(job.Name))
            {
                throw new ArgumentException($"job \"{job.Name}\" is declared twice", nameof(declared));
            }
        }

        var byName = new Dictionary<string, StoredJob>(StringComparer.Ordinal);
        foreach (var job in stored)
        {
            byName.TryAdd(job.Name, job);
        }

        var added = new List<JobDefinition>();
        var changed = new List<JobChange>();
        var unchanged = new List<JobDefinition>();
        var conflicts = new List<JobConflict>();
        foreach (var job in declared)
        {
            if (!byName.TryGetValue(job.Name, out var existing) || existing.RemovedAt is not null)
            {
                // New, or declared again after it was removed: written afresh, its history kept.
                added.Add(job);
            }
            else if (existing.Source == JobSource.Api)
            {
                conflicts.Add(new JobConflict(existing, job));
            }
            else if (ChangedFields(existing.Definition, JobCodec.Serialize(job)) is { Count: > 0 } fields)
            {
                changed.Add(new JobChange(existing, job, fields));
            }
            else
            {
                unchanged.Add(job);
            }
        }

        var removed = stored
            .Where(s => s.Source == JobSource.Config && s.RemovedAt is null && !declaredNames.Contains(s.Name))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

        return new ReconcilePlan
        {
            Added = added,
            Changed = changed,
            Removed = removed,
            Unchanged = unchanged,
            Conflicts = conflicts,
        };
    }

    /// <summary>The top-level definition keys whose values differ; every key when the stored text cannot be read.</summary>
    private static List<string> ChangedFields(string storedJson, string declaredJson)
    {
        var declared = JsonNode.Parse(declaredJson)!.AsObject();
        if (Canonical(storedJson) is not { } previous)
        {
            return [.. declared.Select(p => p.Key)];
        }

        var fields = new List<string>();
        foreach (var (key, value) in declared)
        {
            if (!JsonNode.DeepEquals(value, previous[key]))
            {
                fields.Add(key);
            }
        }

        foreach (var (key, _) in previous)
        {
            if (!declared.ContainsKey(key))
            {
                fields.Add(key);
            }
        }

        return fields;
    }

    private static JsonObject? Canonical(string json)
    {
        try
        {
            return JsonNode.Parse(JobCodec.Serialize(JobCodec.Deserialize(json)))!.AsObject();
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException or NullReferenceException)
        {
            return null;
        }
    }
}
