using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vigil.Operations.Json;

/// <summary>How the CLI and the API write JSON: compact, one document per line, readable escaping.</summary>
internal static class JsonText
{
    /// <summary>
    /// Writer options. The relaxed encoder leaves quotes, <c>+</c> and non-ASCII text readable
    /// (<c>\"</c> rather than <c>\u0022</c>); the output goes to terminals and scripts, never into HTML.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Writes one JSON document with <paramref name="write"/> and returns it as a string.</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
