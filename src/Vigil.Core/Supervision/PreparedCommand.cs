namespace Vigil.Supervision;

/// <summary>A command ready to execute: the program found, the argv and the complete environment built, the result file prepared.</summary>
internal sealed record PreparedCommand
{
    /// <summary>The program to execute (a path; a relative one is resolved in <see cref="Cwd"/>).</summary>
    public required string Program { get; init; }

    /// <summary>The arguments, the program's name first.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>The complete environment, as <c>NAME=value</c> strings.</summary>
    public required IReadOnlyList<string> Environment { get; init; }

    /// <summary>The working directory, or null for the caller's.</summary>
    public string? Cwd { get; init; }

    /// <summary>Where the command may write its result (<c>VIGIL_RESULT_FILE</c>).</summary>
    public required string ResultFile { get; init; }
}
