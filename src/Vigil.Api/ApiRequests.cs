using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vigil.Operations;

namespace Vigil.Api;

/// <summary>Reads request bodies and parameters strictly: anything unexpected is a 4xx with one clear line.</summary>
internal static class ApiRequests
{
    private static readonly string[] SpecFields =
        ["schedule", "timezone", "command", "shell", "http_url", "http_method", "cwd", "timeout", "on_interrupt", "overlap", "on_stop", "session"];

    /// <summary>The body as a JSON object (the size limit is Kestrel's, answered with 413).</summary>
    public static async Task<JsonElement> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, "the body must be JSON (Content-Type: application/json)");
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken).ConfigureAwait(false);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new ApiException(StatusCodes.Status400BadRequest, $"the body must be a JSON object, not {Kind(document.RootElement)}");
        }
        catch (JsonException e)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, $"malformed JSON: {e.Message}");
        }
    }

    /// <summary>A job spec from a body; <paramref name="extra"/> names the other fields the body may hold.</summary>
    public static JobSpec ReadSpec(JsonElement body, params string[] extra)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!SpecFields.Contains(property.Name) && !extra.Contains(property.Name))
            {
                throw new ApiException(StatusCodes.Status400BadRequest, $"unknown field \"{property.Name}\" (known: {string.Join(", ", extra.Concat(SpecFields))})");
            }
        }

        var sessionGiven = body.TryGetProperty("session", out var session);
        return new JobSpec
        {
            Schedule = String(body, "schedule"),
            TimeZone = String(body, "timezone"),
            Command = Strings(body, "command"),
            Shell = String(body, "shell"),
            HttpUrl = String(body, "http_url"),
            HttpMethod = String(body, "http_method"),
            Cwd = String(body, "cwd"),
            Timeout = String(body, "timeout"),
            OnInterrupt = String(body, "on_interrupt"),
            Overlap = String(body, "overlap"),
            OnStop = String(body, "on_stop"),
            Session = sessionGiven && session.ValueKind == JsonValueKind.Null ? null : String(body, "session"),
            SessionGiven = sessionGiven,
        };
    }

    /// <summary>A string field, null when absent; any other type is an error.</summary>
    public static string? String(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new ApiException(StatusCodes.Status400BadRequest, $"\"{name}\" must be a string, not {Kind(value)}");
    }

    /// <summary>A run id from the path.</summary>
    public static long RunId(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new ApiException(StatusCodes.Status400BadRequest, $"invalid run id \"{text}\": expected a positive whole number such as 42");

    /// <summary>An optional positive number from the query string.</summary>
    public static long? Number(HttpRequest request, string name)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ApiException(StatusCodes.Status400BadRequest, $"invalid {name} \"{text}\": expected a positive whole number");
    }

    private static string[]? Strings(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw new ApiException(StatusCodes.Status400BadRequest, $"\"{name}\" must be an array of strings (argv), e.g. [\"./backup.sh\", \"--full\"]");
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
