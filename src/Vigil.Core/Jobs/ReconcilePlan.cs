using Vigil.Ledger;

namespace Vigil.Jobs;

/// <summary>What <see cref="JobReconciler.Plan"/> found: each declared job in exactly one of
/// <see cref="Added"/>, <see cref="Changed"/>, <see cref="Unchanged"/> or <see cref="Conflicts"/>,
/// and the stored config jobs to remove.</summary>
public sealed record ReconcilePlan
{
    /// <summary>Declared jobs the ledger does not hold (or holds as removed): insert them.</summary>
    public IReadOnlyList<JobDefinition> Added { get; init; } = [];

    /// <summary>Config jobs whose definition differs from the stored one: replace the definition.</summary>
    public IReadOnlyList<JobChange> Changed { get; init; } = [];

    /// <summary>Config jobs no longer declared: mark them removed (disabled, history kept).</summary>
    public IReadOnlyList<StoredJob> Removed { get; init; } = [];

    /// <summary>Declared jobs stored exactly as declared: nothing to write.</summary>
    public IReadOnlyList<JobDefinition> Unchanged { get; init; } = [];

    /// <summary>Declared names that belong to jobs created through the API: the config's definition replaces them.</summary>
    public IReadOnlyList<JobConflict> Conflicts { get; init; } = [];

    /// <summary>Whether applying the plan writes anything.</summary>
    public bool HasChanges => Added.Count + Changed.Count + Removed.Count + Conflicts.Count > 0;

    /// <summary>Every definition to insert or replace: added, changed and conflicting jobs, in that order.</summary>
    public IEnumerable<JobDefinition> ToUpsert =>
        Added.Concat(Changed.Select(c => c.Declared)).Concat(Conflicts.Select(c => c.Declared));
}

/// <summary>A config job whose definition changed.</summary>
/// <param name="Stored">The job as stored.</param>
/// <param name="Declared">The definition the config declares now.</param>
/// <param name="Fields">The definition's top-level keys that differ (<c>schedule</c>, <c>run</c>, <c>timeout</c>, ...).</param>
public sealed record JobChange(StoredJob Stored, JobDefinition Declared, IReadOnlyList<string> Fields);

/// <summary>A declared job whose name belongs to a job created through the API; the config's definition wins.</summary>
/// <param name="Stored">The API job as stored.</param>
/// <param name="Declared">The config's definition that replaces it.</param>
public sealed record JobConflict(StoredJob Stored, JobDefinition Declared)
{
    /// <summary>The one-line warning to log.</summary>
    public string Warning =>
        $"job \"{Declared.Name}\" was created through the API and is also declared in the config; the config's definition replaces it";
}
