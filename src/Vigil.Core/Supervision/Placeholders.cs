using System.Text;

namespace Vigil.Supervision;

/// <summary>Expands <c>${NAME}</c> in configured values (env values, URLs, header values, bodies).</summary>
/// <remarks>
/// Only the braced form is a placeholder, so a literal <c>$HOME</c> or <c>$1</c> in a value stays as
/// written; <c>$${</c> writes a literal <c>${</c>. A name is a letter or underscore followed by letters,
/// digits or underscores; anything else after <c>${</c> (or a missing <c>}</c>) is left as it is.
/// </remarks>
internal static class Placeholders
{
    /// <summary>
    /// Replaces each <c>${NAME}</c> with <paramref name="lookup"/>(NAME). When a variable is unset,
    /// <paramref name="missing"/> is its name (the first one) and the result must not be used.
    /// </summary>
    public static string Expand(string text, Func<string, string?> lookup, out string? missing)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(lookup);
        missing = null;
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '$' && At(text, i + 1, "${"))
            {
                result.Append("${");
                i += 3;
                continue;
            }

            if (c == '$' && At(text, i + 1, "{") && NameEnd(text, i + 2) is { } end && end > i + 2 && At(text, end, "}"))
            {
                var name = text[(i + 2)..end];
                var value = lookup(name);
                if (value is null)
                {
                    missing = name;
                    return string.Empty;
                }

                result.Append(value);
                i = end + 1;
                continue;
            }

            result.Append(c);
            i++;
        }

        return result.ToString();
    }

    private static bool At(string text, int index, string expected) =>
        index + expected.Length <= text.Length && string.CompareOrdinal(text, index, expected, 0, expected.Length) == 0;

    private static int? NameEnd(string text, int start)
    {
        var i = start;
        while (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_' || (i > start && char.IsAsciiDigit(text[i]))))
        {
            i++;
        }

        return i;
    }
}
