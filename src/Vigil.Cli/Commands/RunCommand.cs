using System.CommandLine;
using Vigil.Cli.Daemon;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil run</c>: the daemon.</summary>
internal sealed class RunCommand : Command
{
    private readonly CliContext _context;
    private readonly Option<string?> _listen = new("--listen")
    {
        Description = "Where the HTTP API and dashboard listen, host:port (default: the config's server.listen, else 127.0.0.1:7878; port 0 picks a free port). "
            + "An address beyond loopback needs the token in the variable server.token_env names (default VIGIL_TOKEN)",
        HelpName = "ADDR",
    };

    /// <summary>Creates the command.</summary>
    public RunCommand(CliContext context)
        : base("run", "Run the daemon: recover (adopting command runs an earlier daemon left running), schedule and supervise the config's jobs; SIGTERM or 'vigil drain' stops: command runs keep going under their run supervisors (on_stop: detach) and everything else drains, a second signal interrupts; SIGHUP reloads the config. Serves the HTTP API, dashboard and /metrics on server.listen")
    {
        _context = context;
        Options.Add(_listen);
        SetAction((parseResult, _) => ExecuteAsync(parseResult));
    }

    private Task<int> ExecuteAsync(ParseResult parseResult)
    {
        var config = ConfigFile.Load(parseResult, _context);
        if (parseResult.GetValue(_listen) is { } listen)
        {
            config = config with { Server = config.Server with { Listen = listen.Trim() } };
        }

        return DaemonHost.RunAsync(config, _context);
    }
}
