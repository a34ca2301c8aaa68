using System.Globalization;
using Vigil.Configuration.Yaml;
using Vigil.Scheduling;

namespace Vigil.Configuration.Reading;

/// <summary>
/// Reads typed values out of YAML nodes, reporting a wrong type, a bad duration or a value out of
/// range as one error at the value's position. Each <c>Try</c> method returns false when it reported.
/// </summary>
/// <remarks>
/// <paramref name="errors"/> is shared by every reader of one load, so that all errors are collected
/// rather than the first. <c>path</c> arguments name the key as the operator wrote it
/// (<c>timeout</c>, <c>retry.max_attempts</c>, <c>run.http.url</c>) and start each reason.
/// </remarks>
internal sealed class NodeReader(ErrorList errors)
{
    public ErrorList Errors { get; } = errors;

    public void Error(YamlNode at, string path, string reason) => Errors.Add(at, $"{path}: {reason}");

    public YamlMapping? Mapping(YamlNode node, string path) =>
        node as YamlMapping ?? Mismatch<YamlMapping>(node, path, "a mapping");

    public YamlSequence? Sequence(YamlNode node, string path) =>
        node as YamlSequence ?? Mismatch<YamlSequence>(node, path, "a list");

    /// <summary>A non-null scalar's text (numbers and booleans are read as the text written).</summary>
    public bool TryString(YamlNode node, string path, out string value)
    {
        if (node is YamlScalar { IsNull: false } scalar)
        {
            value = scalar.Value;
            return true;
        }

        value = string.Empty;
        Mismatch<YamlScalar>(node, path, "a string");
        return false;
    }

    /// <summary>A non-empty string.</summary>
    public bool TryName(YamlNode node, string path, out string value)
    {
        if (!TryString(node, path, out value))
        {
            return false;
        }

        value = value.Trim();
        if (value.Length == 0)
        {
            Error(node, path, "must not be empty");
            return false;
        }

        return true;
    }

    /// <summary>A plain whole number of at least <paramref name="min"/>.</summary>
    public bool TryInt(YamlNode node, string path, int min, out int value)
    {
        value = 0;
        if (node is not YamlScalar { IsNull: false } scalar)
        {
            Mismatch<YamlScalar>(node, path, "a whole number");
            return false;
        }

        if (!scalar.IsPlain || !int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            Error(node, path, $"expected a whole number, got {scalar.Describe()}");
            return false;
        }

        if (value < min)
        {
            Error(node, path, $"must be at least {min}, got {value}");
            return false;
        }

        return true;
    }

    /// <summary>Like <see cref="TryInt"/>, with null (<c>~</c>, <c>null</c> or nothing) meaning "off".</summary>
    public bool TryOptionalInt(YamlNode node, string path, int min, out int? value)
    {
        value = null;
        if (node is YamlScalar { IsNull: true })
        {
            return true;
        }

        if (!TryInt(node, path, min, out var number))
        {
            return false;
        }

        value = number;
        return true;
    }

    /// <summary><c>true</c> or <c>false</c>, unquoted.</summary>
    public bool TryBool(YamlNode node, string path, out bool value)
    {
        value = false;
        if (node is YamlScalar { IsPlain: true } scalar && bool.TryParse(scalar.Value, out value))
        {
            return true;
        }

        Error(node, path, $"expected true or false, got {node.Describe()}");
        return false;
    }

    /// <summary>A duration such as <c>30s</c>; with <paramref name="positive"/>, zero is refused.</summary>
    public bool TryDuration(YamlNode node, string path, bool positive, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (!TryString(node, path, out var text))
        {
            return false;
        }

        if (!Duration.TryParse(text, out value, out var error))
        {
            Error(node, path, error!);
            return false;
        }

        if (positive && value <= TimeSpan.Zero)
        {
            Error(node, path, "must be greater than 0");
            return false;
        }

        return true;
    }

    /// <summary>Like <see cref="TryDuration"/>, with null meaning "off".</summary>
    public bool TryOptionalDuration(YamlNode node, string path, bool positive, out TimeSpan? value)
    {
        value = null;
        if (node is YamlScalar { IsNull: true })
        {
            return true;
        }

        if (!TryDuration(node, path, positive, out var duration))
        {
            return false;
        }

        value = duration;
        return true;
    }

    /// <summary>One of <paramref name="options"/>' names (case-insensitive).</summary>
    public bool TryChoice<T>(YamlNode node, string path, IReadOnlyList<(string Name, T Value)> options, out T value)
    {
        value = default!;
        if (!TryString(node, path, out var text))
        {
            return false;
        }

        foreach (var (name, option) in options)
        {
            if (string.Equals(name, text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = option;
                return true;
            }
        }

        Error(node, path, $"\"{text}\" is not one of {string.Join(", ", options.Select(o => o.Name))}");
        return false;
    }

    /// <summary>
    /// Reports a key that is not one of <paramref name="known"/>, suggesting the closest known key.
    /// </summary>
    /// <param name="key">The key as written.</param>
    /// <param name="known">The keys allowed where it is.</param>
    /// <param name="where">Where the key is, e.g. <c>in job "nightly"</c>; null at the top level.</param>
    /// <param name="hint">A hint that replaces the suggestion, when the caller knows better.</param>
    public void UnknownKey(YamlScalar key, IEnumerable<string> known, string? where, string? hint = null)
    {
        hint ??= KeySuggester.Closest(key.Value, known) is { } close ? $"did you mean \"{close}\"?" : null;
        var location = where is null ? string.Empty : $" {where}";
        var suffix = hint is null ? string.Empty : $" ({hint})";
        Errors.Add(key, $"unknown key \"{key.Value}\"{location}{suffix}");
    }

    private T? Mismatch<T>(YamlNode node, string path, string expected)
        where T : YamlNode
    {
        Error(node, path, $"expected {expected}, got {node.Describe()}");
        return null;
    }
}
