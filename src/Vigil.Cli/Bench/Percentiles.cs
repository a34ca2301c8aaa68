namespace Vigil.Cli.Bench;

/// <summary>Nearest-rank percentiles of a sample.</summary>
internal static class Percentiles
{
    /// <summary>Adds <c>{prefix}_p50_ms</c>, <c>_p90_ms</c>, <c>_p99_ms</c> and <c>_max_ms</c> of <paramref name="values"/> to <paramref name="report"/>.</summary>
    public static void AddTo(BenchReport report, string prefix, ReadOnlySpan<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        report.Add(prefix + "_p50_ms", Rank(sorted, 0.50));
        report.Add(prefix + "_p90_ms", Rank(sorted, 0.90));
        report.Add(prefix + "_p99_ms", Rank(sorted, 0.99));
        report.Add(prefix + "_max_ms", sorted.Length == 0 ? double.NaN : sorted[^1]);
    }

    /// <summary>The smallest value with at least <paramref name="fraction"/> of the sample at or below it.</summary>
    public static double Rank(double[] sorted, double fraction)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
