using Vigil.Jobs;
using Vigil.Ledger;
using Xunit.Abstractions;

namespace Vigil.Storage.Conformance;

/// <summary>
/// The behaviour every <see cref="IRunStore"/> backend must show. A backend's test project derives
/// from this class and supplies fresh stores; nothing here knows which database is underneath.
/// </summary>
/// <remarks>
/// Every test gets a new, empty, migrated database. Instants are whole seconds from a fixed
/// <see cref="T0"/>: the tests pass "now" explicitly and never read a clock.
/// </remarks>
public abstract partial class RunStoreConformanceTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    protected static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected static readonly TimeSpan Timeout = TimeSpan.FromHours(1);

    private readonly List<IRunStore> _opened = [];

    protected RunStoreConformanceTests(ITestOutputHelper? output = null) => Output = output;

    /// <summary>The store under test (replaced by <see cref="ReopenAsync"/>).</summary>
    protected IRunStore Store { get; private set; } = null!;

    protected ITestOutputHelper? Output { get; }

    protected static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync() => Store = Track(await CreateStoreAsync());

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        await CleanupAsync();
    }

    /// <summary>A migrated store on a new, empty database, private to the running test.</summary>
    protected abstract Task<IRunStore> CreateStoreAsync();

    /// <summary>A new, migrated store on the database <see cref="CreateStoreAsync"/> created for this test.</summary>
    protected abstract Task<IRunStore> ReopenStoreAsync();

    /// <summary>Commits and write operations so far, when the backend counts them (group commit).</summary>
    protected virtual WriteCounters? ReadWriteCounters(IRunStore store) => null;

    /// <summary>Removes what <see cref="CreateStoreAsync"/> created; runs after every store was disposed.</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    /// <summary>Disposes the current store and opens the same database again.</summary>
    protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = Track(await ReopenStoreAsync());
    }

    protected static DateTimeOffset At(int seconds) => T0.AddSeconds(seconds);

    protected static DateTimeOffset Slot(int hours) => T0.AddHours(hours);

    protected static NewRun Run(string job, DateTimeOffset slot, int attempt = 1, string? session = null, RunTrigger trigger = RunTrigger.Schedule, DateTimeOffset? notBefore = null) =>
        new() { Job = job, Slot = slot, Attempt = attempt, Session = session, Trigger = trigger, NotBefore = notBefore };

    protected static StoredJob Job(string name, string schedule = "0 * * * *", DateTimeOffset? createdAt = null) => new()
    {
        Name = name,
        Definition = JobCodec.Serialize(new JobDefinition
        {
            Name = name,
            Schedule = schedule,
            TimeZone = "UTC",
            Action = new CommandAction { Argv = ["true"] },
        }),
        Source = JobSource.Config,
        CreatedAt = createdAt ?? T0,
        UpdatedAt = createdAt ?? T0,
    };

    protected Task<Incarnation> StartAsync(string node = "node-a", DateTimeOffset? now = null) =>
        Store.StartIncarnationAsync(node, 4242, now ?? T0, Lease, Ct);

    protected async Task<long> InsertAsync(NewRun run, DateTimeOffset? now = null)
    {
        var id = await Store.InsertRunAsync(run, now ?? T0, Ct);
        Assert.NotNull(id);
        return id.Value;
    }

    protected async Task<long> InsertRunningAsync(Incarnation owner, string job, DateTimeOffset slot, string? session = null, int attempt = 1)
    {
        var id = await InsertAsync(Run(job, slot, attempt, session));
        Assert.Equal(ClaimResult.Claimed, await Store.ClaimAsync(id, owner, At(1), At(1) + Timeout, Ct));
        return id;
    }

    protected async Task<RunRecord> GetAsync(long id)
    {
        var run = await Store.GetRunAsync(id, Ct);
        Assert.NotNull(run);
        return run;
    }

    private IRunStore Track(IRunStore store)
    {
        _opened.Add(store);
        return store;
    }
}

/// <summary>A backend's commit and write-operation counters.</summary>
public sealed record WriteCounters(long Commits, long Operations);
