namespace Vigil.Configuration.Yaml;

/// <summary>A position in the config file, 1-based like an editor shows it.</summary>
internal readonly record struct Position(int Line, int Column);

/// <summary>
/// A node of the config document with the position where it starts. The loader builds its own
/// small tree from parser events rather than using a YAML object model, so that duplicate keys are
/// seen (and reported) instead of silently kept or thrown on one at a time.
/// </summary>
internal abstract class YamlNode(Position start)
{
    public Position Start { get; } = start;

    /// <summary>How the node reads in an error: <c>a list</c>, <c>a mapping</c>, <c>"text"</c> or <c>null</c>.</summary>
    public abstract string Describe();
}

/// <summary>A scalar as written: its text and whether it was plain (unquoted).</summary>
internal sealed class YamlScalar(Position start, string value, bool plain) : YamlNode(start)
{
    public string Value { get; } = value;

    /// <summary>Unquoted. Only plain scalars are read as null, numbers or booleans.</summary>
    public bool IsPlain { get; } = plain;

    /// <summary>A plain empty value, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Describe() => IsNull ? "null" : $"\"{Value}\"";
}

/// <summary>A sequence.</summary>
internal sealed class YamlSequence(Position start, IReadOnlyList<YamlNode> items) : YamlNode(start)
{
    public IReadOnlyList<YamlNode> Items { get; } = items;

    public override string Describe() => "a list";
}

/// <summary>A mapping with scalar keys, duplicates already removed (and reported) by the reader.</summary>
internal sealed class YamlMapping(Position start, IReadOnlyList<YamlEntry> entries) : YamlNode(start)
{
    public IReadOnlyList<YamlEntry> Entries { get; } = entries;

    public override string Describe() => "a mapping";

    /// <summary>The entry for <paramref name="key"/>, or null.</summary>
    public YamlEntry? Find(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key.Value == key)
            {
                return entry;
            }
        }

        return null;
    }
}

/// <summary>One key and its value.</summary>
internal sealed record YamlEntry(YamlScalar Key, YamlNode Value);
