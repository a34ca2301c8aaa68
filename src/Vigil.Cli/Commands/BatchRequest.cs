using System.Text.Json;

namespace Vigil.Cli.Commands;

/// <summary>One input line of <c>vigil schedule next --batch</c>.</summary>
/// <param name="Expression">"expr": the schedule text (required).</param>
/// <param name="TimeZone">"tz": an IANA zone, or null for UTC.</param>
/// <param name="From">"from": the exclusive lower bound, ISO-8601 (required).</param>
/// <param name="Count">"n": how many fires, or null for the default.</param>
/// <param name="Anchor">"anchor": the instant an <c>every</c> grid runs through, or null for the default.</param>
internal readonly record struct BatchRequest(string Expression, string? TimeZone, string? From, int? Count, string? Anchor)
{
    private const string Fields = "expr, tz, from, n, anchor";

    /// <summary>
    /// Reads one line of UTF-8 JSON. Strict on purpose: an unknown or mistyped field is an error rather
    /// than silently ignored, so a checker that misspells "tz" is told instead of getting UTC answers.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, out BatchRequest request, out string? error)
    {
        request = default;
        string? expression = null, timeZone = null, from = null, anchor = null;
        int? count = null;
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 4 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "each line must be a JSON object such as {\"expr\":\"0 9 * * *\",\"from\":\"2026-01-01T00:00:00Z\"}";
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                error = name switch
                {
                    "expr" => ReadString(ref reader, name, out expression),
                    "tz" => ReadString(ref reader, name, out timeZone),
                    "from" => ReadString(ref reader, name, out from),
                    "anchor" => ReadString(ref reader, name, out anchor),
                    "n" => ReadCount(ref reader, out count),
                    _ => $"unknown field \"{name}\" (expected {Fields})",
                };
                if (error is not null)
                {
                    return false;
                }
            }

            // Anything but whitespace after the object makes the reader throw.
            if (reader.Read())
            {
                error = "unexpected content after the JSON object";
                return false;
            }
        }
        catch (JsonException e)
        {
            error = "invalid JSON: " + e.Message;
            return false;
        }

        if (expression is null)
        {
            error = "\"expr\" is required";
            return false;
        }

        request = new BatchRequest(expression, timeZone, from, count, anchor);
        error = null;
        return true;
    }

    private static string? ReadString(ref Utf8JsonReader reader, string name, out string? value)
    {
        value = null;
        return reader.TokenType switch
        {
            JsonTokenType.String => Assign(reader.GetString(), out value),
            JsonTokenType.Null => null,
            _ => $"\"{name}\" must be a string",
        };
    }

    private static string? ReadCount(ref Utf8JsonReader reader, out int? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var count))
        {
            value = count;
            return null;
        }

        return $"\"n\" must be an integer between 1 and {ScheduleOptions.MaxCount}";
    }

    private static string? Assign(string? text, out string? value)
    {
        value = text;
        return null;
    }
}
