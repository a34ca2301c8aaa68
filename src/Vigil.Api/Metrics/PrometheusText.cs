using System.Globalization;
using System.Text;

namespace Vigil.Api.Metrics;

/// <summary>
/// Writes metric families in the Prometheus text exposition format (version 0.0.4): <c># HELP</c>
/// and <c># TYPE</c> once per family, then its samples; histograms as cumulative <c>_bucket</c>
/// series ending in <c>le="+Inf"</c>, then <c>_sum</c> and <c>_count</c>.
/// </summary>
internal static class PrometheusText
{
    /// <summary>The content type Prometheus expects for this format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The families as exposition text.</summary>
    public static string Write(IEnumerable<MetricFamily> families)
    {
        var text = new StringBuilder(4096);
        foreach (var family in families)
        {
            var name = family.Kind == MetricKind.Counter ? family.Name + "_total" : family.Name;
            text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(family.Kind switch
            {
                MetricKind.Counter => "counter",
                MetricKind.Histogram => "histogram",
                _ => "gauge",
            }).Append('\n');

            foreach (var series in family.Series)
            {
                if (family.Kind == MetricKind.Histogram)
                {
                    WriteHistogram(text, family.Name, series);
                }
                else
                {
                    Sample(text, name, series.Labels, null, series.Value);
                }
            }
        }

        return text.ToString();
    }

    /// <summary>A number as the format writes it: shortest round-trip form, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteHistogram(StringBuilder text, string name, MetricSeries series)
    {
        var bounds = series.Bounds ?? [];
        var counts = series.BucketCounts ?? [];
        long cumulative = 0;
        for (var i = 0; i < bounds.Count; i++)
        {
            cumulative += i < counts.Count ? counts[i] : 0;
            Sample(text, name + "_bucket", series.Labels, Number(bounds[i]), cumulative);
        }

        cumulative += counts.Count > bounds.Count ? counts[bounds.Count] : 0;
        Sample(text, name + "_bucket", series.Labels, "+Inf", cumulative);
        Sample(text, name + "_sum", series.Labels, null, series.Sum);
        Sample(text, name + "_count", series.Labels, null, cumulative);
    }

    private static void Sample(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> labels, string? le, double value)
    {
        text.Append(name);
        if (labels.Count > 0 || le is not null)
        {
            text.Append('{');
            var first = true;
            foreach (var (key, labelValue) in labels)
            {
                if (!first)
                {
                    text.Append(',');
                }

                first = false;
                text.Append(key).Append("=\"").Append(EscapeLabel(labelValue)).Append('"');
            }

            if (le is not null)
            {
                text.Append(first ? string.Empty : ",").Append("le=\"").Append(le).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(Number(value)).Append('\n');
    }

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Help text escapes backslash and line feed.</summary>
    private static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
