using System.Globalization;
using System.Text.RegularExpressions;

namespace Vigil.Api.Tests;

/// <summary>One sample line: name, labels, value.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>One family: its HELP, TYPE and samples.</summary>
public sealed record Family(string Name, string Type, string Help, List<Sample> Samples);

/// <summary>
/// A strict parser of the Prometheus text exposition format 0.0.4, written from the format's
/// description: it throws on anything a Prometheus server would reject or that the format forbids.
/// </summary>
/// <remarks>
/// Checked: metric and label name syntax; label value escapes (only \\, \" and \n); HELP and TYPE
/// at most once per family, before its samples; known types; every sample belongs to the family
/// declared just before it (families are contiguous); no duplicate series; values are floats or
/// +Inf/-Inf/NaN; counters end in _total and are not negative; histograms have ascending le
/// buckets ending in +Inf, cumulative counts, and _count equal to the +Inf bucket; the text ends
/// with a line feed.
/// </remarks>
public static partial class PrometheusParser
{
    public static Dictionary<string, Family> Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("the exposition must end with a line feed");
        }

        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        var closed = new HashSet<string>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        Family? current = null;
        var lineNumber = 0;
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var match = CommentLine().Match(line);
                if (!match.Success)
                {
                    if (line.StartsWith("# HELP", StringComparison.Ordinal) || line.StartsWith("# TYPE", StringComparison.Ordinal))
                    {
                        throw new FormatException($"line {lineNumber}: malformed {line[..6]}: {line}");
                    }

                    continue;
                }

                var name = match.Groups[2].Value;
                if (current?.Name != name)
                {
                    if (current is not null)
                    {
                        closed.Add(current.Name);
                    }

                    if (closed.Contains(name) || families.ContainsKey(name))
                    {
                        throw new FormatException($"line {lineNumber}: family {name} declared again or not contiguous");
                    }

                    current = new Family(name, "untyped", string.Empty, []);
                    families[name] = current;
                }

                if (match.Groups[1].Value == "TYPE")
                {
                    var type = match.Groups[3].Value;
                    if (current.Type != "untyped" || current.Samples.Count > 0)
                    {
                        throw new FormatException($"line {lineNumber}: TYPE of {name} repeated or after its samples");
                    }

                    if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                    {
                        throw new FormatException($"line {lineNumber}: unknown type {type}");
                    }

                    families[name] = current = current with { Type = type };
                }
                else
                {
                    if (current.Help.Length > 0)
                    {
                        throw new FormatException($"line {lineNumber}: HELP of {name} repeated");
                    }

                    var help = match.Groups[3].Value;
                    for (var i = 0; i < help.Length; i++)
                    {
                        if (help[i] == '\\' && (++i >= help.Length || help[i] is not ('\\' or 'n')))
                        {
                            throw new FormatException($"line {lineNumber}: invalid escape in HELP");
                        }
                    }

                    families[name] = current = current with { Help = help };
                }

                continue;
            }

            var sample = ParseSample(line, lineNumber);
            if (current is null || !BelongsTo(sample.Name, current))
            {
                throw new FormatException($"line {lineNumber}: sample {sample.Name} outside its family's block");
            }

            var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
            if (!series.Add(key))
            {
                throw new FormatException($"line {lineNumber}: duplicate series {key}");
            }

            current.Samples.Add(sample);
        }

        foreach (var family in families.Values)
        {
            Check(family);
        }

        return families;
    }

    private static bool BelongsTo(string sample, Family family) => family.Type switch
    {
        "histogram" => sample == family.Name + "_bucket" || sample == family.Name + "_sum" || sample == family.Name + "_count",
        "summary" => sample == family.Name || sample == family.Name + "_sum" || sample == family.Name + "_count",
        _ => sample == family.Name,
    };

    private static void Check(Family family)
    {
        if (family.Type == "counter")
        {
            if (!family.Name.EndsWith("_total", StringComparison.Ordinal))
            {
                throw new FormatException($"counter {family.Name} does not end in _total");
            }

            if (family.Samples.Any(s => s.Value < 0 || double.IsNaN(s.Value)))
            {
                throw new FormatException($"counter {family.Name} has a negative or NaN value");
            }
        }

        if (family.Type != "histogram")
        {
            return;
        }

        foreach (var group in family.Samples.GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value))))
        {
            var buckets = group.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).ToList();
            if (buckets.Count == 0 || buckets.Any(b => !b.Labels.ContainsKey("le")))
            {
                throw new FormatException($"histogram {family.Name}{{{group.Key}}} has no buckets or a bucket without le");
            }

            var bounds = buckets.Select(b => ParseValue(b.Labels["le"], 0)).ToList();
            if (!double.IsPositiveInfinity(bounds[^1]))
            {
                throw new FormatException($"histogram {family.Name}{{{group.Key}}} does not end with le=\"+Inf\"");
            }

            for (var i = 1; i < buckets.Count; i++)
            {
                if (bounds[i] <= bounds[i - 1] || buckets[i].Value < buckets[i - 1].Value)
                {
                    throw new FormatException($"histogram {family.Name}{{{group.Key}}}: buckets not ascending or not cumulative at le={buckets[i].Labels["le"]}");
                }
            }

            var count = group.SingleOrDefault(s => s.Name.EndsWith("_count", StringComparison.Ordinal))
                ?? throw new FormatException($"histogram {family.Name}{{{group.Key}}} has no _count");
            _ = group.SingleOrDefault(s => s.Name.EndsWith("_sum", StringComparison.Ordinal))
                ?? throw new FormatException($"histogram {family.Name}{{{group.Key}}} has no _sum");
            if (count.Value != buckets[^1].Value)
            {
                throw new FormatException($"histogram {family.Name}{{{group.Key}}}: _count {count.Value} is not the +Inf bucket {buckets[^1].Value}");
            }
        }
    }

    private static Sample ParseSample(string line, int lineNumber)
    {
        var match = SampleLine().Match(line);
        if (!match.Success)
        {
            throw new FormatException($"line {lineNumber}: not a sample: {line}");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var labelText = match.Groups[2].Value;
        var position = 0;
        while (position < labelText.Length)
        {
            var label = LabelPair().Match(labelText, position);
            if (!label.Success || label.Index != position)
            {
                throw new FormatException($"line {lineNumber}: malformed labels: {labelText}");
            }

            var name = label.Groups[1].Value;
            if (!labels.TryAdd(name, Unescape(label.Groups[2].Value, lineNumber)))
            {
                throw new FormatException($"line {lineNumber}: label {name} repeated");
            }

            position = label.Index + label.Length;
            if (position < labelText.Length)
            {
                if (labelText[position] != ',')
                {
                    throw new FormatException($"line {lineNumber}: expected ',' between labels");
                }

                position++;
            }
        }

        return new Sample(match.Groups[1].Value, labels, ParseValue(match.Groups[3].Value, lineNumber));
    }

    private static string Unescape(string value, int lineNumber)
    {
        var text = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\')
            {
                text.Append(value[i]);
                continue;
            }

            i++;
            text.Append(i < value.Length ? value[i] switch
            {
                '\\' => '\\',
                '"' => '"',
                'n' => '\n',
                _ => throw new FormatException($"line {lineNumber}: invalid escape \\{value[i]} in a label value"),
            } : throw new FormatException($"line {lineNumber}: dangling backslash"));
        }

        return text.ToString();
    }

    private static double ParseValue(string text, int lineNumber) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when FloatText().IsMatch(text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"line {lineNumber}: invalid value \"{text}\""),
    };

    [GeneratedRegex(@"^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$")]
    private static partial Regex CommentLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?[0-9]+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\\n]|\\.)*)""")]
    private static partial Regex LabelPair();

    [GeneratedRegex(@"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatText();
}
