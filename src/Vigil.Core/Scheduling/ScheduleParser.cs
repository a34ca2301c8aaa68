namespace Vigil.Scheduling;

/// <summary>Decides what kind of schedule a text is and hands it to the right parser.</summary>
internal static class ScheduleParser
{
    public static Schedule Parse(string text, TimeZoneInfo zone, DateTimeOffset anchor)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new ScheduleFormatException(text, "the schedule is empty");
        }

        if (trimmed.Length > 512)
        {
            throw new ScheduleFormatException(Shorten(text), "the schedule is longer than 512 characters");
        }

        if (trimmed[0] == '@')
        {
            var expanded = CronParser.ExpandMacro(trimmed)
                ?? throw new ScheduleFormatException(text, "unknown macro (use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)");
            return new CronSchedule(text, expanded, CronParser.Parse(text, expanded), zone);
        }

        if (trimmed.StartsWith("at ", StringComparison.OrdinalIgnoreCase) && Iso.TryParse(trimmed[3..], zone, out var at))
        {
            return new OneShotSchedule(text, at, zone);
        }

        // A date starts with a four-digit year and a dash; a cron expression such as "0 22-23 * * *"
        // can have a dash at the same position, so the year's digits decide.
        if (trimmed.Length >= 10 && IsYear(trimmed.AsSpan(0, 4)) && trimmed[4] == '-')
        {
            return Iso.TryParse(trimmed, zone, out var instant)
                ? new OneShotSchedule(text, instant, zone)
                : throw new ScheduleFormatException(text, "not a valid ISO-8601 date-time (e.g. 2026-12-01T09:00:00+01:00)");
        }

        if (TryParseEvery(trimmed, out var period))
        {
            return IntervalSchedule.Create(text, period, anchor, zone);
        }

        if (LooksLikeCron(trimmed))
        {
            var normalized = NormalizeBlanks(trimmed);
            return new CronSchedule(text, normalized, CronParser.Parse(text, normalized), zone);
        }

        var compiled = PhraseCompiler.Compile(text);
        return new CronSchedule(text, compiled, CronParser.Parse(text, compiled), zone);
    }

    /// <summary><c>every 30m</c>, <c>every 1h30m</c>: a compact duration means a fixed grid.</summary>
    private static bool TryParseEvery(string text, out TimeSpan period)
    {
        period = default;
        if (!text.StartsWith("every ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = text.AsSpan(6).Trim();
        return rest.Length > 0 && char.IsAsciiDigit(rest[0]) && rest.IndexOf(' ') < 0
            && Duration.TryParse(rest, out period, out _);
    }

    /// <summary>Fields separated by single spaces; the text itself (no copy) when it already is.</summary>
    private static string NormalizeBlanks(string text) =>
        text.Contains('\t', StringComparison.Ordinal) || text.Contains("  ", StringComparison.Ordinal)
            ? string.Join(' ', text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            : text;

    private static bool IsYear(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');

    /// <summary>A cron expression's first field (second or minute) holds only digits and <c>* ? / , -</c>; phrases never do.</summary>
    private static bool LooksLikeCron(string text)
    {
        foreach (var c in text)
        {
            if (c is ' ' or '\t')
            {
                return true;
            }

            if (!char.IsAsciiDigit(c) && c is not ('*' or '?' or '/' or ',' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
