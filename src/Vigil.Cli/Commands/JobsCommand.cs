using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil jobs</c>: list, inspect, create, change, pause and trigger jobs, with or without a running daemon.</summary>
internal sealed class JobsCommand : Command
{
    /// <summary>Creates the command and its verbs.</summary>
    public JobsCommand(CliContext context)
        : base("jobs", "List, inspect, add, edit, pause, resume, remove and trigger jobs (reads and writes the ledger directly; works with or without a running daemon)")
    {
        Subcommands.Add(new JobsListCommand(context));
        Subcommands.Add(new JobsShowCommand(context));
        Subcommands.Add(new JobsAddCommand(context));
        Subcommands.Add(new JobsEditCommand(context));
        Subcommands.Add(new JobsRemoveCommand(context));
        Subcommands.Add(new JobsPauseCommand(context, pause: true));
        Subcommands.Add(new JobsPauseCommand(context, pause: false));
        Subcommands.Add(new JobsTriggerCommand(context));
    }
}
