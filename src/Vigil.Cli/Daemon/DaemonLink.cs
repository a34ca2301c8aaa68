using Vigil.Api.Hosting;
using Vigil.Configuration;
using Vigil.Engine;
using Vigil.Ledger;

namespace Vigil.Cli.Daemon;

/// <summary>What the daemon shows its HTTP surface: the config in force, the ledger, the engine's state and controls.</summary>
internal sealed class DaemonLink(IRunStore store, VigilEngine engine, TimeProvider time, VigilConfig config, Func<bool> requestDrain) : IDaemonLink
{
    private volatile VigilConfig _config = config;

    /// <inheritdoc />
    public VigilConfig Config => _config;

    /// <inheritdoc />
    public IRunStore Store => store;

    /// <inheritdoc />
    public TimeProvider Time => time;

    /// <inheritdoc />
    public bool Ready => engine.Ready.IsCompletedSuccessfully;

    /// <inheritdoc />
    public DateTimeOffset? LastLoopAt => engine.LastLoopAt;

    /// <inheritdoc />
    public TimeSpan MaxLoopSleep => engine.MaxSleep;

    /// <summary>Replaces the config after a reload.</summary>
    public void Reloaded(VigilConfig config) => _config = config;

    /// <inheritdoc />
    public void Wake() => engine.ReloadJobs();

    /// <inheritdoc />
    public bool RequestDrain() => requestDrain();
}
