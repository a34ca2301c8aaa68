namespace Vigil.Supervision;

/// <summary>Replaces known secret values in text shown to operators.</summary>
/// <remarks>
/// Values shorter than <see cref="MinLength"/> are not redacted: they are too short to be secrets
/// worth hiding, and replacing them would mangle ordinary output.
/// </remarks>
internal sealed class Redactor
{
    /// <summary>The shortest value that is redacted.</summary>
    public const int MinLength = 4;

    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "[redacted]";

    private readonly string[] _secrets;

    /// <summary>Redacts each of <paramref name="secrets"/> (the longest first, so one containing another is hidden whole).</summary>
    public Redactor(IEnumerable<string> secrets)
    {
        _secrets = [.. secrets.Where(s => s.Length >= MinLength).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
    }

    /// <summary>The text with every secret replaced by <see cref="Mask"/>.</summary>
    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
