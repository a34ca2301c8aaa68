using Vigil.Api.Security;
using Vigil.Operations;

namespace Vigil.Api.Hosting;

/// <summary>What every endpoint reaches: the daemon, the access guard, and a ledger view per request.</summary>
internal sealed class ApiState(IDaemonLink daemon, AccessGuard guard)
{
    /// <summary>The hosting daemon.</summary>
    public IDaemonLink Daemon { get; } = daemon;

    /// <summary>Who may do what.</summary>
    public AccessGuard Guard { get; } = guard;

    /// <summary>
    /// The operations' view of the daemon's ledger: the config in force, the shared store, the
    /// daemon's clock, and a wake that reaches the engine directly.
    /// </summary>
    public OperatorLedger Ledger() => new(Daemon.Config, Daemon.Store, Daemon.Time, Daemon.Wake, ownsStore: false);
}
