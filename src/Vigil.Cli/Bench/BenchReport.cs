using System.Text.Json;
using Vigil.Operations.Json;

namespace Vigil.Cli.Bench;

/// <summary>The figures of one benchmark, in the order they were added, written as one JSON line.</summary>
internal sealed class BenchReport
{
    private readonly List<(string Name, object Value)> _fields = [];

    /// <summary>Starts a report for <paramref name="bench"/> with the machine's cores and load average.</summary>
    public BenchReport(string bench)
    {
        Add("bench", bench);
        Add("cores", Environment.ProcessorCount);
        Add("load_average", ProcessMeter.LoadAverage());
    }

    /// <summary>Adds (or replaces) a figure: a string, a whole number, a real number or a flag.</summary>
    public BenchReport Add(string name, object value)
    {
        var index = _fields.FindIndex(f => f.Name == name);
        if (index >= 0)
        {
            _fields[index] = (name, value);
        }
        else
        {
            _fields.Add((name, value));
        }

        return this;
    }

    /// <summary>A figure by name (the Quartz harness reads Vigil's figures back).</summary>
    public object? this[string name] => _fields.Find(f => f.Name == name).Value;

    /// <summary>The report as one compact JSON object.</summary>
    public string ToJson() => JsonText.Write(writer =>
    {
        writer.WriteStartObject();
        foreach (var (name, value) in _fields)
        {
            Write(writer, name, value);
        }

        writer.WriteEndObject();
    });

    /// <summary>Rounds to <paramref name="digits"/> decimals, for figures whose noise is larger than that.</summary>
    public static double Round(double value, int digits = 2) => Math.Round(value, digits, MidpointRounding.AwayFromZero);

    private static void Write(Utf8JsonWriter writer, string name, object value)
    {
        switch (value)
        {
            case string s:
                writer.WriteString(name, s);
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case int i:
                writer.WriteNumber(name, i);
                break;
            case long l:
                writer.WriteNumber(name, l);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumber(name, Round(d));
                break;
            case double:
                writer.WriteNull(name);
                break;
            default:
                throw new ArgumentException($"unsupported figure type {value.GetType().Name}", nameof(value));
        }
    }
}
