using System.Globalization;

namespace Vigil.Configuration;

/// <summary>One problem in a config file, printed as one line: <c>FILE:LINE:COL: reason</c>.</summary>
public sealed record ConfigError
{
    /// <summary>The config file as the caller named it.</summary>
    public required string File { get; init; }

    /// <summary>1-based line, or 0 when the problem is the file itself (missing, unreadable).</summary>
    public int Line { get; init; }

    /// <summary>1-based column, or 0 with <see cref="Line"/> 0.</summary>
    public int Column { get; init; }

    /// <summary>What is wrong, on one line.</summary>
    public required string Reason { get; init; }

    /// <summary><c>FILE:LINE:COL: reason</c>, or <c>FILE: reason</c> for a problem with the file itself.</summary>
    public override string ToString() => Line > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: {Reason}")
        : $"{File}: {Reason}";
}
