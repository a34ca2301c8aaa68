using Vigil.Configuration.Yaml;

namespace Vigil.Configuration;

/// <summary>Collects every error of one load; the same error at the same place is kept once.</summary>
internal sealed class ErrorList(string file)
{
    private readonly List<ConfigError> _errors = [];
    private readonly HashSet<(int, int, string)> _seen = [];

    public int Count => _errors.Count;

    public void Add(Position at, string reason)
    {
        // Reasons quote values from the file; a multi-line value must not break the one-line format.
        reason = reason.ReplaceLineEndings("\\n");
        if (_seen.Add((at.Line, at.Column, reason)))
        {
            _errors.Add(new ConfigError { File = file, Line = at.Line, Column = at.Column, Reason = reason });
        }
    }

    public void Add(YamlNode at, string reason) => Add(at.Start, reason);

    /// <summary>The errors by line, then column; errors at one place keep the order they were found in.</summary>
    public IReadOnlyList<ConfigError> Sorted() =>
        [.. _errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];
}
