using Microsoft.Extensions.Logging;
using Vigil.Incidents;

namespace Vigil.Alerts;

/// <summary>Writes each notice to the daemon's log (always configured: the log is the sink of last resort).</summary>
public sealed class LogSink(ILogger logger) : IAlertSink
{
    /// <inheritdoc />
    public string Id => "log";

    /// <inheritdoc />
    public Task DeliverAsync(AlertRecord alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var incident = alert.Incident;
        var detail = alert.Event == AlertEvent.Resolved ? $"{incident.Detail} — resolved: {incident.Resolution}" : incident.Detail;
        IncidentLog.Alert(logger, alert.Event.Name(), incident.Id, incident.Kind.Name(), incident.Job ?? "node " + incident.Node, incident.State.Name(), incident.Count, detail);
        return Task.CompletedTask;
    }
}
