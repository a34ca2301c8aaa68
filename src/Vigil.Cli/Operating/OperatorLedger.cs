using System.CommandLine;
using Vigil.Cli.Commands;
using Vigil.Cli.Daemon;
using Vigil.Configuration;
using Vigil.Ledger;

namespace Vigil.Cli.Operating;

/// <summary>
/// What every operator verb starts from: the config it names and its ledger, opened directly (no
/// daemon needed).
/// </summary>
/// <remarks>
/// The SQLite ledger runs in WAL mode with a busy timeout, so the CLI reads and writes it while a
/// daemon runs. After a write, <see cref="Wake"/> touches the wake file so a running daemon re-reads
/// jobs and pending runs at once instead of at its next periodic look.
/// </remarks>
internal sealed class OperatorLedger : IAsyncDisposable
{
    private readonly CliContext _context;

    private OperatorLedger(VigilConfig config, IRunStore store, CliContext context)
    {
        Config = config;
        Store = store;
        _context = context;
    }

    /// <summary>The loaded config.</summary>
    public VigilConfig Config { get; }

    /// <summary>The ledger the config names.</summary>
    public IRunStore Store { get; }

    /// <summary>The current instant, from the context's clock.</summary>
    public DateTimeOffset Now => _context.Time.GetUtcNow();

    /// <summary>Loads the config (a usage error when it has problems) and opens its ledger.</summary>
    public static async Task<OperatorLedger> OpenAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var config = ConfigFile.Load(parseResult, context);
        var store = await LocalLedger.OpenAsync(config, context.Time, cancellationToken);
        return new OperatorLedger(config, store, context);
    }

    /// <summary>Tells a running daemon that the ledger changed.</summary>
    public void Wake() => LocalLedger.Wake(Config);

    /// <summary>The config file's path as it reads in messages.</summary>
    public string ConfigPath => Config.ConfigPath;

    /// <summary>A stored job by name, or a usage error <c>no job named "X"</c>.</summary>
    public async Task<StoredJob> GetJobAsync(string name, CancellationToken cancellationToken) =>
        await Store.GetJobAsync(name, cancellationToken) ?? throw new UsageException(NoJob(name));

    /// <summary>A run by id, or a usage error <c>no run with id N</c>.</summary>
    public async Task<RunRecord> GetRunAsync(long id, CancellationToken cancellationToken) =>
        await Store.GetRunAsync(id, cancellationToken) ?? throw new UsageException($"no run with id {id}");

    /// <summary>The message for an unknown job.</summary>
    public static string NoJob(string name) => $"no job named \"{name}\"";

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
