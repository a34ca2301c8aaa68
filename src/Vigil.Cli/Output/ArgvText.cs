namespace Vigil.Cli.Output;

/// <summary>Writes an argv so a person can read (and a POSIX shell could re-read) where each argument ends.</summary>
internal static class ArgvText
{
    /// <summary>The arguments, each quoted when it needs to be, separated by spaces.</summary>
    public static string Join(IEnumerable<string> argv) => string.Join(' ', argv.Select(Quote));

    /// <summary>One argument, in single quotes when it holds anything but plain characters.</summary>
    public static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '=' or ':' or ',' or '+' or '@' or '%'))
        {
            return argument;
        }

        return "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
