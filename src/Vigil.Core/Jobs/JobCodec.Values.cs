using System.Text.Json;
using Vigil.Ledger;

namespace Vigil.Jobs;

/// <summary>Reading single values without a string per value where the value is only looked at.</summary>
public static partial class JobCodec
{
    /// <summary>Longer values are read as strings (no definition this codec writes has such a value to share).</summary>
    private const int MaxValueLength = 128;

    /// <summary>The name: <paramref name="knownName"/> itself when the text holds that name (no second copy of it).</summary>
    private static string? Name(ref Utf8JsonReader reader, string? knownName) =>
        knownName is not null && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(knownName)
            ? knownName
            : String(ref reader);

    /// <summary>A string taken from <paramref name="parts"/> (shared, not allocated when seen before), or null for JSON null.</summary>
    private static string? Text(ref Utf8JsonReader reader, IDefinitionParts? parts)
    {
        if (parts is null || reader.TokenType == JsonTokenType.Null || reader.HasValueSequence || reader.ValueSpan.Length > MaxValueLength)
        {
            return String(ref reader);
        }

        Span<char> chars = stackalloc char[MaxValueLength];
        var length = reader.CopyString(chars);
        return parts.Text(chars[..length]);
    }

    /// <summary>Whether the value is the string <paramref name="expected"/>; false for JSON null, like a comparison of <see cref="String"/>'s result.</summary>
    private static bool Is(ref Utf8JsonReader reader, ReadOnlySpan<byte> expected) =>
        reader.TokenType != JsonTokenType.Null && reader.ValueTextEquals(expected);

    /// <summary>A duration (or why it is not one, thrown when the field is used), or null for JSON null.</summary>
    private static DurationText? Duration(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.HasValueSequence || reader.ValueSpan.Length > MaxValueLength)
        {
            return DurationText.Of(reader.GetString()!);
        }

        Span<char> chars = stackalloc char[MaxValueLength];
        var length = reader.CopyString(chars);
        return DurationText.Of(chars[..length]);
    }

    private static string[] Strings(ref Utf8JsonReader reader, IDefinitionParts? parts = null)
    {
        Expect(ref reader, JsonTokenType.StartArray, "a list");
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
        {
            return [];
        }

        var values = new List<string>();
        do
        {
            values.Add(Text(ref reader, parts) ?? throw new FormatException("job definition: null in a list of strings"));
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray);

        return [.. values];
    }

    private static RunState[] States(ref Utf8JsonReader reader, IDefinitionParts? parts)
    {
        Expect(ref reader, JsonTokenType.StartArray, "\"on\"");
        var states = new List<RunState>(1);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            states.Add(RunStates.TryParse(Text(ref reader, parts), out var state) ? state : RunState.Interrupted);
        }

        return [.. states];
    }

    /// <summary>A duration as read: its value, or the reason it is not one.</summary>
    /// <remarks>Parsed while reading (no string kept), failing only where the field is used, as if parsed there.</remarks>
    private readonly struct DurationText
    {
        private readonly TimeSpan _value;
        private readonly string? _error;

        private DurationText(TimeSpan value, string? error)
        {
            _value = value;
            _error = error;
        }

        /// <exception cref="FormatException">The text was not a duration.</exception>
        public TimeSpan Value => _error is null ? _value : throw new FormatException(_error);

        public static DurationText Of(ReadOnlySpan<char> text) =>
            Scheduling.Duration.TryParse(text, out var value, out var error) ? new(value, null) : new(default, error);
    }
}
