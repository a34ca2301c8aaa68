namespace Vigil.Supervision;

/// <summary>
/// Everything an action learns about its run. Commands receive it as <c>VIGIL_*</c> environment
/// variables; handlers receive this record.
/// </summary>
public sealed record RunContext
{
    /// <summary><c>VIGIL_JOB</c>.</summary>
    public required string Job { get; init; }

    /// <summary><c>VIGIL_SLOT</c> (ISO-8601 UTC).</summary>
    public required DateTimeOffset Slot { get; init; }

    /// <summary><c>VIGIL_ATTEMPT</c> (1-based).</summary>
    public required int Attempt { get; init; }

    /// <summary><c>VIGIL_RUN_ID</c>.</summary>
    public required long RunId { get; init; }

    /// <summary><c>VIGIL_IDEMPOTENCY_KEY</c>: stable across the attempts of a slot.</summary>
    public string IdempotencyKey => IdempotencyKeys.For(Job, Slot);

    /// <summary><c>VIGIL_RESUMED</c>: an earlier attempt of this slot was interrupted.</summary>
    public bool Resumed { get; init; }

    /// <summary><c>VIGIL_SESSION</c>, when the job has one.</summary>
    public string? Session { get; init; }

    /// <summary>The name of the variable that holds <see cref="ResultFile"/>.</summary>
    public const string ResultFileVariable = "VIGIL_RESULT_FILE";

    /// <summary><c>VIGIL_RESULT_FILE</c>: where the action may write its result JSON (an absolute path, unique to the run).</summary>
    public required string ResultFile { get; init; }

    /// <summary>Receives output lines (handlers; commands' stdout and stderr are captured instead).</summary>
    public TextWriter Output { get; init; } = TextWriter.Null;

    /// <summary>The environment variables a command receives, in a stable order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> EnvironmentVariables()
    {
        var variables = new List<KeyValuePair<string, string>>
        {
            new("VIGIL_JOB", Job),
            new("VIGIL_SLOT", Scheduling.Iso.Format(Slot)),
            new("VIGIL_ATTEMPT", Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("VIGIL_RUN_ID", RunId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("VIGIL_IDEMPOTENCY_KEY", IdempotencyKey),
            new("VIGIL_RESUMED", Resumed ? "1" : "0"),
            new(ResultFileVariable, ResultFile),
        };
        if (Session is not null)
        {
            variables.Add(new("VIGIL_SESSION", Session));
        }

        return variables;
    }
}

/// <summary>Idempotency keys: a function of the slot only, so every attempt of a slot shares it.</summary>
public static class IdempotencyKeys
{
    /// <summary><c>job@slot</c>, e.g. <c>nightly@2026-11-22T22:00:00Z</c>.</summary>
    public static string For(string job, DateTimeOffset slot) => $"{job}@{Scheduling.Iso.Format(slot)}";
}
