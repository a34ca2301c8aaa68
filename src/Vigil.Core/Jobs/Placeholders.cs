using System.Text;

namespace Vigil.Jobs;

/// <summary>
/// <c>${VAR}</c> placeholders in the fields that may carry secrets (a command's <c>env</c> values,
/// an HTTP action's URL, header values and body). They are checked when the config loads and
/// expanded from the daemon's environment only when a run starts.
/// </summary>
/// <remarks>
/// Definitions are stored with their placeholders, never expanded, so a secret read from the
/// environment never reaches the ledger, the API or <c>vigil jobs show</c>.
/// Syntax: <c>${NAME}</c> where NAME is letters, digits and <c>_</c>, not starting with a digit;
/// <c>$${</c> writes a literal <c>${</c>; any other <c>$</c> is kept as is.
/// </remarks>
public static class Placeholders
{
    /// <summary>Checks the placeholder syntax of <paramref name="text"/>; false with a one-line reason when it is broken.</summary>
    public static bool TryValidate(string text, out string? error) =>
        TryExpand(text, static _ => string.Empty, out _, out error);

    /// <summary>
    /// Replaces each <c>${NAME}</c> with <paramref name="lookup"/>(NAME). False with a one-line reason
    /// when the syntax is broken or a variable is not set (<paramref name="lookup"/> returned null).
    /// An empty value is a value.
    /// </summary>
    public static bool TryExpand(string text, Func<string, string?> lookup, out string expanded, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(lookup);
        var builder = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '$')
            {
                builder.Append(c);
                i++;
                continue;
            }

            if (i + 2 < text.Length && text[i + 1] == '$' && text[i + 2] == '{')
            {
                builder.Append("${");
                i += 3;
                continue;
            }

            if (i + 1 >= text.Length || text[i + 1] != '{')
            {
                builder.Append(c);
                i++;
                continue;
            }

            var close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                expanded = string.Empty;
                error = "unclosed \"${\" (write $${ for a literal \"${\")";
                return false;
            }

            var name = text[(i + 2)..close];
            if (!IsValidName(name))
            {
                expanded = string.Empty;
                error = $"\"${{{name}}}\" is not a valid variable name (letters, digits and _, not starting with a digit)";
                return false;
            }

            var value = lookup(name);
            if (value is null)
            {
                expanded = string.Empty;
                error = $"environment variable {name} is not set";
                return false;
            }

            builder.Append(value);
            i = close + 1;
        }

        expanded = builder.ToString();
        error = null;
        return true;
    }

    /// <summary>Whether <paramref name="name"/> is a valid environment variable name for a placeholder.</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
