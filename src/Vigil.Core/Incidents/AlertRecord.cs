namespace Vigil.Incidents;

/// <summary>Why a notice is sent.</summary>
public enum AlertEvent
{
    /// <summary><c>opened</c>: an incident opened.</summary>
    Opened,

    /// <summary><c>reminder</c>: an incident is still open and unacknowledged.</summary>
    Reminder,

    /// <summary><c>resolved</c>: an incident was resolved.</summary>
    Resolved,
}

/// <summary>Contract names of <see cref="AlertEvent"/>.</summary>
public static class AlertEvents
{
    /// <summary>The contract name, e.g. <c>opened</c>.</summary>
    public static string Name(this AlertEvent value) => value switch
    {
        AlertEvent.Opened => "opened",
        AlertEvent.Reminder => "reminder",
        AlertEvent.Resolved => "resolved",
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    /// <summary>Parses a contract name.</summary>
    public static AlertEvent Parse(string text) => text switch
    {
        "opened" => AlertEvent.Opened,
        "reminder" => AlertEvent.Reminder,
        "resolved" => AlertEvent.Resolved,
        _ => throw new FormatException($"unknown alert event \"{text}\""),
    };
}

/// <summary>One notice in the durable outbox, with the incident it is about.</summary>
public sealed record AlertRecord
{
    /// <summary>The outbox row id.</summary>
    public required long Id { get; init; }

    /// <summary>Why it is sent.</summary>
    public required AlertEvent Event { get; init; }

    /// <summary>The incident, as it is now.</summary>
    public required IncidentRecord Incident { get; init; }

    /// <summary>When the notice was enqueued.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Delivery attempts so far.</summary>
    public int Attempts { get; init; }

    /// <summary>Sink ids that already took it.</summary>
    public IReadOnlyList<string> DeliveredTo { get; init; } = [];

    /// <summary>The last delivery error (secrets redacted).</summary>
    public string? LastError { get; init; }
}

/// <summary>The outcome of one delivery attempt of an outbox row.</summary>
public sealed record AlertAttempt
{
    /// <summary>The outbox row.</summary>
    public required long AlertId { get; init; }

    /// <summary>Every sink id that has taken the notice so far (this attempt's included).</summary>
    public required IReadOnlyList<string> DeliveredTo { get; init; }

    /// <summary>When null, the notice is done; otherwise it is tried again at this instant.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>What failed (secrets redacted).</summary>
    public string? Error { get; init; }
}
