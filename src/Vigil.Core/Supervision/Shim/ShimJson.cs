using System.Text.Json;

namespace Vigil.Supervision.Shim;

/// <summary>The JSON the shim and the daemon exchange through files: written with one writer, read tolerantly (unknown fields are ignored).</summary>
internal static class ShimJson
{
    /// <summary>The file format this binary writes. A reader accepts every format up to this one.</summary>
    public const int Format = 1;

    public static byte[] Write(Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", Format);
            fields(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a shim file: null when it does not exist, is not complete JSON, or is of a format newer than <see cref="Format"/>.</summary>
    public static T? Read<T>(string path, Func<JsonElement, T> read)
        where T : class
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("format", out var format)
                || !format.TryGetInt32(out var version)
                || version < 1 || version > Format)
            {
                return null;
            }

            return read(root);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return null;
        }
    }

    public static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static long? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    public static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    public static void WriteNullable(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
