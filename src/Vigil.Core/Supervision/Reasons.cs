namespace Vigil.Supervision;

/// <summary>Failure reasons: one line each, because they are shown in listings and alerts.</summary>
internal static class Reasons
{
    /// <summary>Joins the lines of <paramref name="text"/> with spaces.</summary>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>The exception's type name and message, on one line.</summary>
    public static string Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"{exception.GetType().Name}: {OneLine(exception.Message)}";
    }
}
