using System.Text.Json;

namespace Vigil.Supervision;

/// <summary>Reads the result file a command may write: <c>{"status":"ok|empty|failed","summary":"...","tokens_in":N,"tokens_out":N}</c>.</summary>
internal static class ResultFile
{
    /// <summary>A result file larger than this is rejected rather than read into memory.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Prepares <paramref name="path"/> before a run: creates its directory and removes a file left by an earlier run.</summary>
    /// <remarks>A stale file must not be read as this run's result.</remarks>
    public static void Prepare(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.Delete(path);
    }

    /// <summary>
    /// Reads the file. Returns null with no error when there is none (or it is empty), null with an
    /// error when it cannot be used, or the report.
    /// </summary>
    public static ResultReport? Read(string path, out string? error)
    {
        error = null;
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return null;
            }

            if (info.Length > MaxBytes)
            {
                error = $"result file is larger than {MaxBytes / 1024} KiB";
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error = $"result file cannot be read: {Reasons.OneLine(exception.Message)}";
            return null;
        }

        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return FromJson(document.RootElement, out error);
        }
        catch (JsonException exception)
        {
            error = $"result file is not valid JSON: {Reasons.OneLine(exception.Message)}";
            return null;
        }
    }

    private static ResultReport? FromJson(JsonElement root, out string? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "result file is not valid JSON: expected an object";
            return null;
        }

        string? status = null;
        string? summary = null;
        long? tokensIn = null;
        long? tokensOut = null;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            var ok = property.Name switch
            {
                "status" => TryString(value, out status) && status is null or "ok" or "empty" or "failed",
                "summary" => TryString(value, out summary),
                "tokens_in" => TryCount(value, out tokensIn),
                "tokens_out" => TryCount(value, out tokensOut),
                _ => true,
            };
            if (!ok)
            {
                error = property.Name == "status"
                    ? "result file is invalid: status must be ok, empty or failed"
                    : $"result file is invalid: {property.Name} has the wrong type";
                return null;
            }
        }

        return new ResultReport(status, summary, tokensIn, tokensOut);
    }

    private static bool TryString(JsonElement value, out string? text)
    {
        text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return value.ValueKind is JsonValueKind.String or JsonValueKind.Null;
    }

    private static bool TryCount(JsonElement value, out long? count)
    {
        count = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0)
        {
            count = number;
            return true;
        }

        return false;
    }
}
