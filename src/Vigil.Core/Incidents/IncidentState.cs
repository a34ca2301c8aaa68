namespace Vigil.Incidents;

/// <summary>An incident's lifecycle: open → (acknowledged) → resolved.</summary>
public enum IncidentState
{
    /// <summary><c>open</c>: the condition holds and nobody has acknowledged it; reminders go out.</summary>
    Open,

    /// <summary><c>acknowledged</c>: an operator has seen it; still counted, no reminders.</summary>
    Acknowledged,

    /// <summary><c>resolved</c>: the job is healthy again (final; a new occurrence opens a new incident).</summary>
    Resolved,
}

/// <summary>Contract names of <see cref="IncidentState"/>.</summary>
public static class IncidentStates
{
    /// <summary>The contract name, e.g. <c>acknowledged</c>.</summary>
    public static string Name(this IncidentState state) => state switch
    {
        IncidentState.Open => "open",
        IncidentState.Acknowledged => "acknowledged",
        IncidentState.Resolved => "resolved",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>Parses a contract name (case-insensitive).</summary>
    public static bool TryParse(string? text, out IncidentState state)
    {
        foreach (var candidate in Enum.GetValues<IncidentState>())
        {
            if (string.Equals(candidate.Name(), text, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }
}
