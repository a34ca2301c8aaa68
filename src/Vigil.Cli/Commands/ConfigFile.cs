using System.CommandLine;
using Vigil.Configuration;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>--config FILE</c>, taken by every command: the file given, else <c>$VIGIL_CONFIG</c>, else
/// <c>./vigil.yaml</c>.
/// </summary>
internal static class ConfigFile
{
    /// <summary>The recursive option added once on the root command.</summary>
    public static Option<string?> Option { get; } = new("--config")
    {
        Description = "The config file (default: $VIGIL_CONFIG, else ./vigil.yaml)",
        HelpName = "FILE",
        Recursive = true,
    };

    /// <summary>The path the command should read.</summary>
    public static string Resolve(ParseResult parseResult, CliContext context)
    {
        var path = parseResult.GetValue(Option);
        if (string.IsNullOrWhiteSpace(path))
        {
            path = context.GetEnvironmentVariable("VIGIL_CONFIG");
        }

        return string.IsNullOrWhiteSpace(path) ? ConfigLoader.DefaultFileName : path;
    }

    /// <summary>Loads and validates the config, or throws a usage error naming the first problem.</summary>
    public static VigilConfig Load(ParseResult parseResult, CliContext context)
    {
        var result = ConfigLoader.Load(Resolve(parseResult, context));
        if (result.Succeeded)
        {
            return result.Config!;
        }

        var first = result.Errors[0].ToString();
        throw new UsageException(result.Errors.Count == 1
            ? first
            : $"{first} (and {result.Errors.Count - 1} more; run 'vigil validate' to see them all)");
    }
}
