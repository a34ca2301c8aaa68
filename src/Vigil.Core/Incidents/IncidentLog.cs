using Microsoft.Extensions.Logging;

namespace Vigil.Incidents;

/// <summary>Log messages of incidents, the watchdog and alert delivery (event ids 301-399).</summary>
internal static partial class IncidentLog
{
    [LoggerMessage(301, LogLevel.Warning, "Incident {Id} opened: {Kind} {Subject}: {Detail}")]
    public static partial void Opened(ILogger logger, long id, string kind, string subject, string detail);

    [LoggerMessage(302, LogLevel.Information, "Incident {Id} resolved: {Kind} {Subject}: {Reason}")]
    public static partial void Resolved(ILogger logger, long id, string kind, string subject, string reason);

    [LoggerMessage(303, LogLevel.Critical, "Scheduler stalled: {Detail}")]
    public static partial void Stalled(ILogger logger, string detail);

    [LoggerMessage(304, LogLevel.Information, "Scheduler loops healthy again")]
    public static partial void StallEnded(ILogger logger);

    [LoggerMessage(305, LogLevel.Error, "The {Part} failed; trying again")]
    public static partial void MonitorFailed(ILogger logger, string part, Exception error);

    [LoggerMessage(306, LogLevel.Warning, "Job {Job} paused after {Failures} failures in a row (pause_after_failures)")]
    public static partial void JobPaused(ILogger logger, string job, int failures);

    [LoggerMessage(307, LogLevel.Warning, "Alert {AlertId} ({Event} of incident {IncidentId}) not delivered to {Sink} (attempt {Attempt}; next at {RetryAt}): {Error}")]
    public static partial void AlertFailed(ILogger logger, long alertId, string @event, long incidentId, string sink, int attempt, string retryAt, string error);

    [LoggerMessage(308, LogLevel.Information, "Alert {AlertId} ({Event} of incident {IncidentId}) delivered to {Sinks}")]
    public static partial void AlertDelivered(ILogger logger, long alertId, string @event, long incidentId, string sinks);

    [LoggerMessage(309, LogLevel.Warning, "ALERT {Event}: incident {IncidentId} {Kind} {Subject} ({State}, count {Count}): {Detail}")]
    public static partial void Alert(ILogger logger, string @event, long incidentId, string kind, string subject, string state, int count, string detail);
}
