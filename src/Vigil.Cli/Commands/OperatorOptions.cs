using System.CommandLine;
using System.Globalization;

namespace Vigil.Cli.Commands;

/// <summary>Arguments and options the <c>jobs</c>, <c>runs</c> and <c>drain</c> verbs share, so they read and document them alike.</summary>
internal static class OperatorOptions
{
    /// <summary>What human output says about times, repeated in each listing's help.</summary>
    public const string TimesNote = "Times are UTC (ISO-8601)";

    /// <summary><c>--json</c> on a listing.</summary>
    public static Option<bool> Json(string what) => new("--json")
    {
        Description = $"Print {what} as JSON instead of a table",
    };

    /// <summary>The NAME argument of a job verb.</summary>
    public static Argument<string> JobName() => new("NAME")
    {
        Description = "The job's name",
    };

    /// <summary>The RUN argument of a run verb.</summary>
    public static Argument<string> RunId() => new("RUN")
    {
        Description = "The run's id (as 'vigil runs list' shows it)",
    };

    /// <summary>Reads a run id, or a usage error naming the bad text.</summary>
    public static long ParseRunId(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new UsageException($"invalid run id \"{text}\": expected a positive whole number such as 42");
}
