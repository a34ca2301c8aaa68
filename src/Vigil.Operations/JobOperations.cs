using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Operations;

/// <summary>
/// The operator's changes to jobs: add, edit, pause, resume, remove, trigger. Each checks what the
/// ledger holds, writes through <see cref="IRunStore"/> and wakes the engine.
/// </summary>
/// <remarks>
/// Config jobs are changed in the file, never here (the config wins on the next reload, so a change
/// made here would silently disappear); pause, resume and trigger work on every job.
/// </remarks>
internal static class JobOperations
{
    /// <summary>Whether <paramref name="name"/> is a valid job name, else the one-line reason.</summary>
    public static void CheckName(string name)
    {
        if (!JobDefinition.IsValidName(name))
        {
            throw new OperationException($"job name \"{name}\" is not valid (letters, digits, -, _ and ., starting with a letter or digit, at most 128 characters)");
        }
    }

    /// <summary>Refuses a change to a job the config declares (or a stored config job).</summary>
    public static void RefuseIfDeclared(OperatorLedger ledger, string name, StoredJob? stored)
    {
        if (stored is { Source: JobSource.Config, RemovedAt: null } || ledger.Config.Jobs.Any(j => j.Name == name))
        {
            throw new OperationException($"job \"{name}\" is declared in {ledger.ConfigPath}; edit the file instead", OperationError.Conflict);
        }
    }

    /// <summary>The stored job an edit or remove may change: it must exist and not be a config job.</summary>
    public static async Task<StoredJob> GetApiJobAsync(OperatorLedger ledger, string name, CancellationToken cancellationToken)
    {
        var stored = await ledger.Store.GetJobAsync(name, cancellationToken).ConfigureAwait(false);
        RefuseIfDeclared(ledger, name, stored);
        return stored ?? throw OperationException.NoJob(name);
    }

    /// <summary>Adds an API job; returns it and whether an earlier, removed job of the name had runs kept.</summary>
    public static async Task<(JobView Job, bool Replaced)> AddAsync(OperatorLedger ledger, string name, JobSpec spec, JobSpecWords words, CancellationToken cancellationToken)
    {
        CheckName(name);
        RefuseIfDeclared(ledger, name, stored: null);
        var existing = await ledger.Store.GetJobAsync(name, cancellationToken).ConfigureAwait(false);
        if (existing is { RemovedAt: null })
        {
            throw new OperationException($"job \"{name}\" already exists (change it with 'vigil jobs edit {name}')", OperationError.Conflict);
        }

        var now = ledger.Now;
        var definition = JobSpecBuilder.Build(spec, words, name, existing: null, ledger.Config, anchorDefault: now);
        await ledger.Store.UpsertJobAsync(
            new StoredJob
            {
                Name = name,
                Definition = JobCodec.Serialize(definition),
                Source = JobSource.Api,
                CreatedAt = now,
                UpdatedAt = now,
            },
            cancellationToken).ConfigureAwait(false);
        ledger.Wake();
        return (await JobCatalog.FindAsync(ledger, name, cancellationToken).ConfigureAwait(false), existing is not null);
    }

    /// <summary>Changes an API job; returns it and whether anything changed.</summary>
    public static async Task<(JobView Job, bool Changed)> EditAsync(OperatorLedger ledger, string name, JobSpec spec, JobSpecWords words, CancellationToken cancellationToken)
    {
        var stored = await GetApiJobAsync(ledger, name, cancellationToken).ConfigureAwait(false);
        if (stored.RemovedAt is not null)
        {
            throw new OperationException($"job \"{name}\" was removed; add it again with 'vigil jobs add {name}'", OperationError.Conflict);
        }

        var existing = ReadDefinition(stored, "; remove it and add it again");
        var definition = JobSpecBuilder.Build(spec, words, name, existing, ledger.Config, anchorDefault: stored.CreatedAt);
        var json = JobCodec.Serialize(definition);
        var changed = json != JobCodec.Serialize(existing);
        if (changed)
        {
            await ledger.Store.UpsertJobAsync(stored with { Definition = json, UpdatedAt = ledger.Now }, cancellationToken).ConfigureAwait(false);
            ledger.Wake();
        }

        return (await JobCatalog.FindAsync(ledger, name, cancellationToken).ConfigureAwait(false), changed);
    }

    /// <summary>Pauses or resumes any job; false when it already was.</summary>
    public static async Task<bool> SetPausedAsync(OperatorLedger ledger, string name, bool pause, CancellationToken cancellationToken)
    {
        var stored = await GetAppliedAsync(ledger, name, cancellationToken).ConfigureAwait(false);
        if (stored.RemovedAt is not null)
        {
            throw new OperationException($"job \"{name}\" was removed", OperationError.Conflict);
        }

        if (stored.Paused == pause)
        {
            return false;
        }

        await ledger.Store.SetJobPausedAsync(name, pause, ledger.Now, cancellationToken).ConfigureAwait(false);
        ledger.Wake();
        return true;
    }

    /// <summary>Marks an API job removed (its runs are kept); false when it already was.</summary>
    public static async Task<bool> RemoveAsync(OperatorLedger ledger, string name, CancellationToken cancellationToken)
    {
        var stored = await GetApiJobAsync(ledger, name, cancellationToken).ConfigureAwait(false);
        if (stored.RemovedAt is not null)
        {
            return false;
        }

        await ledger.Store.RemoveJobAsync(name, ledger.Now, cancellationToken).ConfigureAwait(false);
        ledger.Wake();
        return true;
    }

    /// <summary>Queues a manual run of a job now; returns its id.</summary>
    public static async Task<long> TriggerAsync(OperatorLedger ledger, string name, CancellationToken cancellationToken)
    {
        var stored = await GetAppliedAsync(ledger, name, cancellationToken).ConfigureAwait(false);
        if (stored.RemovedAt is not null)
        {
            throw new OperationException($"job \"{name}\" was removed; a manual run of it would not start", OperationError.Conflict);
        }

        var session = ReadDefinition(stored, string.Empty).Policies.Session;
        var id = await InsertManualRunAsync(ledger, name, session, cancellationToken).ConfigureAwait(false);
        ledger.Wake();
        return id;
    }

    /// <summary>A job the ledger holds; a config job not applied yet is explained.</summary>
    private static async Task<StoredJob> GetAppliedAsync(OperatorLedger ledger, string name, CancellationToken cancellationToken)
    {
        var stored = await ledger.Store.GetJobAsync(name, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            return stored;
        }

        throw ledger.Config.Jobs.Any(j => j.Name == name)
            ? new OperationException($"job \"{name}\" is declared in {ledger.ConfigPath} but not in the ledger yet; start the daemon ('vigil run') to apply the config first", OperationError.Conflict)
            : OperationException.NoJob(name);
    }

    private static JobDefinition ReadDefinition(StoredJob stored, string advice)
    {
        try
        {
            return JobCodec.Deserialize(stored.Definition);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException or ArgumentException or NullReferenceException)
        {
            throw new OperationException($"job \"{stored.Name}\" has a stored definition that cannot be read ({e.Message}){advice}", OperationError.Conflict);
        }
    }

    /// <remarks>
    /// The slot is now, at the ledger's millisecond precision. Two triggers in the same millisecond
    /// would share (job, slot, attempt), so the second moves one millisecond on instead of being lost.
    /// </remarks>
    private static async Task<long> InsertManualRunAsync(OperatorLedger ledger, string name, string? session, CancellationToken cancellationToken)
    {
        var now = ledger.Now;
        var slot = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        for (var i = 0; i < 1000; i++, slot = slot.AddMilliseconds(1))
        {
            var id = await ledger.Store.InsertRunAsync(
                new NewRun { Job = name, Slot = slot, Attempt = 1, Trigger = RunTrigger.Manual, Session = session },
                now,
                cancellationToken).ConfigureAwait(false);
            if (id is { } inserted)
            {
                return inserted;
            }
        }

        throw new IOException($"could not insert a manual run of \"{name}\": every slot near now is taken");
    }
}
