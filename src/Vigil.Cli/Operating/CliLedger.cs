using System.CommandLine;
using Vigil.Cli.Commands;
using Vigil.Cli.Daemon;
using Vigil.Operations;

namespace Vigil.Cli.Operating;

/// <summary>Opens the ledger of the config a command line names, for the operator verbs (no daemon needed).</summary>
internal static class CliLedger
{
    /// <summary>
    /// Loads the config (a usage error when it has problems) and opens its ledger; a change wakes a
    /// running daemon through its wake file.
    /// </summary>
    public static async Task<OperatorLedger> OpenAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var config = ConfigFile.Load(parseResult, context);
        var store = await LocalLedger.OpenAsync(config, context.Time, cancellationToken);
        return new OperatorLedger(config, store, context.Time, () => LocalLedger.Wake(config), ownsStore: true);
    }
}
