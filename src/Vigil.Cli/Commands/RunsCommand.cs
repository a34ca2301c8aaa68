using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil runs</c>: list and inspect runs, print their output, retry failed ones.</summary>
internal sealed class RunsCommand : Command
{
    /// <summary>Creates the command and its verbs.</summary>
    public RunsCommand(CliContext context)
        : base("runs", "List and inspect runs, print their captured output, retry one that did not succeed (reads and writes the ledger directly; works with or without a running daemon)")
    {
        Subcommands.Add(new RunsListCommand(context));
        Subcommands.Add(new RunsShowCommand(context));
        Subcommands.Add(new RunsLogsCommand(context));
        Subcommands.Add(new RunsRetryCommand(context));
    }
}
