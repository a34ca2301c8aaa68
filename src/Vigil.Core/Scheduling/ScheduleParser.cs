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

        if (trimmed.StartsWith("at ", StringComparison.OrdinalIgnoreCase) && StartsWithIsoDate(trimmed[3..].TrimStart()))
        {
            // A date after "at" is a one-shot with a bad date-time, not a phrase.
            throw new ScheduleFormatException(text, "not a valid ISO-8601 date-time (e.g. 2026-12-01T09:00:00+01:00)");
        }

        if (StartsWithIsoDate(trimmed))
        {
            return Iso.TryParse(trimmed, zone, out var instant)
                ? new OneShotSchedule(text, instant, zone)
                : throw new ScheduleFormatException(text, "not a valid ISO-8601 date-time (e.g. 2026-12-01T09:00:00+01:00)");
        }

        if (TryParseEvery(text, trimmed, out var period))
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
    /// <remarks>A single token that starts with a digit is a duration, so its errors are duration errors.</remarks>
    private static bool TryParseEvery(string text, string trimmed, out TimeSpan period)
    {
        period = default;
        if (!trimmed.StartsWith("every ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = trimmed.AsSpan(6).Trim();
        if (rest.Length == 0 || !char.IsAsciiDigit(rest[0]) || rest.IndexOfAny(' ', '\t') >= 0)
        {
            return false;
        }

        return Duration.TryParse(rest, out period, out var error)
            ? true
            : throw new ScheduleFormatException(text, error!);
    }

    /// <summary>Fields separated by single spaces; the text itself (no copy) when it already is.</summary>
    private static string NormalizeBlanks(string text) =>
        text.Contains('\t', StringComparison.Ordinal) || text.Contains("  ", StringComparison.Ordinal)
            ? string.Join(' ', text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            : text;

    /// <summary>A cron expression's first field (second or minute) holds only digits and <c>* ? / , -</c>; phrases never do.</summary>
    private static bool LooksLikeCron(string text)
    {
        if (text[0] is '*' or '?')
        {
            return true;
        }

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

    /// <summary>
    /// <c>yyyy-MM-dd</c> at the start: a one-shot. Checking the whole date shape (not just a dash at
    /// index 4) keeps cron such as <c>0 10-18 * * *</c> or <c>30 1-3 * * *</c> out of the ISO path.
    /// </summary>
    private static bool StartsWithIsoDate(string text) =>
        text.Length >= 10
        && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[1]) && char.IsAsciiDigit(text[2]) && char.IsAsciiDigit(text[3])
        && text[4] == '-' && char.IsAsciiDigit(text[5]) && char.IsAsciiDigit(text[6])
        && text[7] == '-' && char.IsAsciiDigit(text[8]) && char.IsAsciiDigit(text[9]);

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
