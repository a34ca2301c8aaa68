using Vigil.Configuration.Yaml;
using Vigil.Jobs;

namespace Vigil.Configuration.Reading;

/// <summary>Strings that may hold <c>${VAR}</c> placeholders: checked at load, kept unexpanded.</summary>
internal static class Templates
{
    /// <summary>A string whose placeholders are well formed.</summary>
    public static bool TryTemplate(YamlNode node, string path, NodeReader r, out string text)
    {
        if (!r.TryString(node, path, out text))
        {
            return false;
        }

        if (!Placeholders.TryValidate(text, out var error))
        {
            r.Error(node, path, error!);
            return false;
        }

        return true;
    }

    /// <summary>An absolute http or https URL, possibly with placeholders.</summary>
    public static bool TryHttpUrl(YamlNode node, string path, NodeReader r, out string? url)
    {
        if (!TryTemplate(node, path, r, out var text))
        {
            url = null;
            return false;
        }

        url = text.Trim();

        // A URL that starts with a placeholder (${BASE_URL}/hook) can only be checked once expanded, at run time.
        if (url.StartsWith("${", StringComparison.Ordinal))
        {
            return true;
        }

        Placeholders.TryExpand(url, static _ => "placeholder", out var sample, out _);
        if (!Uri.TryCreate(sample, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            r.Error(node, path, $"\"{url}\" is not an absolute http:// or https:// URL");
            return false;
        }

        return true;
    }
}
