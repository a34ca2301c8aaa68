namespace Vigil.Supervision;

/// <summary>Finds the program a command names, the way a shell would, but with the child's <c>PATH</c>.</summary>
/// <remarks>
/// <c>posix_spawnp</c> would search the daemon's <c>PATH</c>; a job that sets its own <c>PATH</c>
/// in <c>env</c> expects that one to be used.
/// </remarks>
internal static class ProgramLocator
{
    private const string DefaultPath = "/usr/local/bin:/usr/bin:/bin";

    /// <summary>
    /// The path to execute, or null when a bare name is not found. A name containing a slash is returned
    /// as is (a relative one is resolved in the working directory by the spawn itself).
    /// </summary>
    public static string? Find(string program, string? searchPath, string? cwd)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return program;
        }

        if (program.Length == 0)
        {
            return null;
        }

        foreach (var entry in (searchPath ?? DefaultPath).Split(':'))
        {
            var directory = entry.Length == 0 ? "." : entry;
            if (!Path.IsPathRooted(directory))
            {
                directory = Path.Combine(cwd ?? Directory.GetCurrentDirectory(), directory);
            }

            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate) && Libc.access(candidate, Libc.XOk) == 0)
            {
                return candidate;
            }
        }

        return null;
    }
}
