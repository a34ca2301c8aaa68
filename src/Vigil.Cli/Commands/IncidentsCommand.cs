using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil incidents</c>: list incidents and acknowledge them.</summary>
internal sealed class IncidentsCommand : Command
{
    /// <summary>Creates the command and its verbs.</summary>
    public IncidentsCommand(CliContext context)
        : base("incidents", "List incidents (interrupted, failed streak, timed out, missed, past due, silence, empty streak, upstream failed, crash loop, scheduler stalled, poison slot) and acknowledge them (reads and writes the ledger directly; works with or without a running daemon)")
    {
        Subcommands.Add(new IncidentsListCommand(context));
        Subcommands.Add(new IncidentsAckCommand(context));
    }
}
