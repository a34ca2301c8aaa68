using System.CommandLine;
using Vigil.Configuration;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil validate</c>: checks the config file and lists every problem, one per line.</summary>
internal sealed class ValidateCommand : Command
{
    private readonly CliContext _context;

    /// <summary>Creates the command.</summary>
    public ValidateCommand(CliContext context)
        : base("validate", "Check the config file; print every problem as FILE:LINE:COL: reason and exit 2 if there is any")
    {
        _context = context;
        SetAction(Execute);
    }

    private int Execute(ParseResult parseResult)
    {
        var path = ConfigFile.Resolve(parseResult, _context);
        var result = ConfigLoader.Load(path);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                _context.Error.WriteLine(CliText.OneLine(error.ToString()));
            }

            return ExitCodes.Usage;
        }

        var config = result.Config!;
        _context.Out.WriteLine($"{path}: ok ({config.Jobs.Count} job{(config.Jobs.Count == 1 ? string.Empty : "s")}, data in {config.DataDir})");
        return ExitCodes.Ok;
    }
}
