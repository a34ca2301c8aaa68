namespace Vigil.Benchmarks;

/// <summary>The expressions both engines are measured on, in Vigil's and Quartz's syntax.</summary>
public static class BenchCases
{
    /// <summary>The zone the schedules are read in: one with daylight saving, so the DST paths are on the hot path.</summary>
    public const string Zone = "Europe/Berlin";

    /// <summary>Vigil's expression (the benchmark parameter) and its Quartz equivalent.</summary>
    public static string ToQuartz(string vigil) => vigil switch
    {
        "0 22 * * *" => "0 0 22 * * ?",
        "*/15 * * * *" => "0 */15 * * * ?",
        "0 9 * * 1-5" => "0 0 9 ? * MON-FRI",
        "0 0 L * *" => "0 0 0 L * ?",
        "30 2 * * *" => "0 30 2 * * ?",
        _ => throw new ArgumentOutOfRangeException(nameof(vigil), vigil, "no Quartz translation"),
    };

    /// <summary>Typical job schedules: nightly, every quarter hour, weekday mornings, month end, and a time in the DST gap.</summary>
    public static IEnumerable<string> Expressions =>
    [
        "0 22 * * *",
        "*/15 * * * *",
        "0 9 * * 1-5",
        "0 0 L * *",
        "30 2 * * *",
    ];
}
