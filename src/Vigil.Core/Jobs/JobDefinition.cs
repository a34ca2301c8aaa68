namespace Vigil.Jobs;

/// <summary>A job as declared in <c>vigil.yaml</c> or created through the CLI/API.</summary>
public sealed record JobDefinition
{
    /// <summary>Unique name: letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, at most 128 characters.</summary>
    public required string Name { get; init; }

    /// <summary>The schedule as written: cron, macro, phrase, <c>every 30m</c> or <c>at ISO</c>.</summary>
    public required string Schedule { get; init; }

    /// <summary>The IANA zone the schedule is read in.</summary>
    public required string TimeZone { get; init; }

    /// <summary>
    /// The instant an <c>every</c> grid is anchored at, or null for the default (the job's creation).
    /// Only meaningful for <c>every</c> schedules.
    /// </summary>
    public DateTimeOffset? Anchor { get; init; }

    /// <summary>What runs.</summary>
    public required ActionSpec Action { get; init; }

    /// <summary>The job's policies, defaults merged in.</summary>
    public JobPolicies Policies { get; init; } = JobPolicies.Default;

    /// <summary>Whether the job is enabled (paused jobs are disabled).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Where the definition came from.</summary>
    public JobSource Source { get; init; } = JobSource.Config;

    /// <summary>Whether <paramref name="name"/> is a valid job name.</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 128 || !char.IsAsciiLetterOrDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Where a job's definition came from.</summary>
public enum JobSource
{
    /// <summary>Declared in <c>vigil.yaml</c>.</summary>
    Config,

    /// <summary>Created or changed through the CLI or API.</summary>
    Api,
}
