namespace Vigil.Scheduling;

/// <summary>
/// The one exception schedule parsing throws. Its message is a single line that names the
/// schedule text, the offending field and the reason, for example
/// <c>invalid schedule "0 25 * * *": hour 25 is outside 0-23 (field 2)</c>.
/// </summary>
public sealed class ScheduleFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="text"/> with a one-line <paramref name="reason"/>.</summary>
    public ScheduleFormatException(string text, string reason)
        : base($"invalid schedule \"{OneLine(text)}\": {OneLine(reason)}")
    {
        Text = text;
        Reason = reason;
    }

    /// <summary>Creates the exception with a message only (serialization and tooling).</summary>
    public ScheduleFormatException()
        : this(string.Empty, "empty")
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public ScheduleFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Text = string.Empty;
        Reason = message;
    }

    /// <summary>The schedule text that failed to parse.</summary>
    public string Text { get; }

    /// <summary>Why it failed, without the schedule text.</summary>
    public string Reason { get; }

    /// <summary>
    /// Escapes line breaks and other control characters (a tab stays) so that a schedule typed with a
    /// stray newline still gives a one-line message.
    /// </summary>
    private static string OneLine(string value)
    {
        if (!value.Any(NeedsEscape))
        {
            return value;
        }

        var builder = new System.Text.StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                _ when NeedsEscape(c) => builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    private static bool NeedsEscape(char c) => c != '\t' && (char.IsControl(c) || c is '\u2028' or '\u2029');
}
