using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil schedule</c>: preview and explain schedules without a config or a running daemon.</summary>
internal sealed class ScheduleCommand : Command
{
    /// <summary>Creates the command and its verbs.</summary>
    public ScheduleCommand(CliContext context)
        : base("schedule", "Preview and explain schedules (cron, phrases, every, at) without a config or a running daemon")
    {
        Subcommands.Add(new ScheduleNextCommand(context));
        Subcommands.Add(new ScheduleExplainCommand(context));
    }
}
