using System.CommandLine;
using Vigil.Supervision.Shim;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil shim RUN_DIR</c>: the run supervisor the daemon starts for every command run (hidden
/// from <c>vigil --help</c>: an operator never starts it).
/// </summary>
internal sealed class ShimCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _directory = new("RUN_DIR") { Description = "The run's directory, <data_dir>/runs/<run id>" };

    private const string Summary =
        "Run supervisor (started by 'vigil run', not by hand): runs one command in its own session, records its pid, output tail and exit status under RUN_DIR, and holds the run's lock while it lives, so the command outlives a daemon restart and the next daemon adopts it";

    /// <summary>
    /// What <c>vigil shim --help</c> prints. The parser prints no help for a hidden command, so the
    /// entry point prints this one itself.
    /// </summary>
    public const string HelpText = $"""
        Description:
          {Summary}

        Usage:
          vigil shim RUN_DIR

        Arguments:
          RUN_DIR  The run's directory, <data_dir>/runs/<run id>; the daemon hands the shim the run's lock as descriptor 3

        See docs/restarts.md.

        """;

    /// <summary>Creates the command.</summary>
    public ShimCommand(CliContext context)
        : base("shim", Summary)
    {
        _context = context;
        Hidden = true;
        Arguments.Add(_directory);
        SetAction((parseResult, _) => ShimHost.RunAsync(parseResult.GetValue(_directory)!, _context.Time, _context.Error));
    }

    /// <summary>
    /// How the daemon starts this binary again as a shim: the <c>vigil</c> executable itself, or, when
    /// it runs as <c>dotnet vigil.dll</c>, the same host and assembly.
    /// </summary>
    public static IReadOnlyList<string> LaunchCommand()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this executable is unknown");
        var assembly = typeof(ShimCommand).Assembly.Location;
        var hosted = !string.IsNullOrEmpty(assembly)
            && string.Equals(Path.GetFileNameWithoutExtension(process), "dotnet", StringComparison.Ordinal)
            && assembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        return hosted ? [process, assembly] : [process];
    }
}
