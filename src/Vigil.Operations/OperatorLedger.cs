using Vigil.Configuration;
using Vigil.Ledger;

namespace Vigil.Operations;

/// <summary>
/// What every operator operation starts from: the config, its ledger, a clock, and a way to tell the
/// engine that the ledger changed.
/// </summary>
/// <remarks>
/// The CLI opens the ledger directly (no daemon needed; SQLite in WAL mode lets it read and write
/// while a daemon runs) and wakes a running daemon through its wake file. The daemon's API shares
/// the daemon's own store and wakes its engine directly. Either way the operations are the same.
/// </remarks>
internal sealed class OperatorLedger : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly Action _wake;
    private readonly bool _ownsStore;

    /// <summary>Creates a ledger view; <paramref name="ownsStore"/> says whether disposing it disposes the store.</summary>
    public OperatorLedger(VigilConfig config, IRunStore store, TimeProvider time, Action wake, bool ownsStore)
    {
        Config = config;
        Store = store;
        _time = time;
        _wake = wake;
        _ownsStore = ownsStore;
    }

    /// <summary>The loaded config.</summary>
    public VigilConfig Config { get; }

    /// <summary>The ledger the config names.</summary>
    public IRunStore Store { get; }

    /// <summary>The clock operations read "now" from.</summary>
    public TimeProvider Time => _time;

    /// <summary>The current instant.</summary>
    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>The config file's path as it reads in messages.</summary>
    public string ConfigPath => Config.ConfigPath;

    /// <summary>Tells the engine that the ledger changed (it re-reads jobs and pending runs).</summary>
    public void Wake() => _wake();

    /// <summary>A stored job by name, or <c>no job named "X"</c>.</summary>
    public async Task<StoredJob> GetJobAsync(string name, CancellationToken cancellationToken) =>
        await Store.GetJobAsync(name, cancellationToken).ConfigureAwait(false) ?? throw OperationException.NoJob(name);

    /// <summary>A run by id, or <c>no run with id N</c>.</summary>
    public async Task<RunRecord> GetRunAsync(long id, CancellationToken cancellationToken) =>
        await Store.GetRunAsync(id, cancellationToken).ConfigureAwait(false) ?? throw OperationException.NoRun(id);

    /// <summary>The message for an unknown job.</summary>
    public static string NoJob(string name) => $"no job named \"{name}\"";

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _ownsStore ? Store.DisposeAsync() : ValueTask.CompletedTask;
}
