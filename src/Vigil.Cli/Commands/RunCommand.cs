using System.CommandLine;
using Vigil.Cli.Daemon;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil run</c>: the daemon.</summary>
internal sealed class RunCommand : Command
{
    private readonly CliContext _context;

    /// <summary>Creates the command.</summary>
    public RunCommand(CliContext context)
        : base("run", "Run the daemon: recover (adopting command runs an earlier daemon left running), schedule and supervise the config's jobs; SIGTERM or 'vigil drain' stops: command runs keep going under their run supervisors (on_stop: detach) and everything else drains, a second signal interrupts; SIGHUP reloads the config")
    {
        _context = context;
        SetAction((parseResult, _) => ExecuteAsync(parseResult));
    }

    private Task<int> ExecuteAsync(ParseResult parseResult)
    {
        var config = ConfigFile.Load(parseResult, _context);
        return DaemonHost.RunAsync(config, _context);
    }
}
