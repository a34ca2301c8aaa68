using Vigil.Incidents;

namespace Vigil.Alerts;

/// <summary>Somewhere incident notices go: the log, a webhook, a command.</summary>
public interface IAlertSink
{
    /// <summary>
    /// A stable id, recorded in the outbox for each notice the sink took (so a retry does not send it
    /// twice to the sinks that already have it). Never contains a secret.
    /// </summary>
    string Id { get; }

    /// <summary>Delivers one notice; throws <see cref="AlertDeliveryException"/> (message safe to log) when it was not taken.</summary>
    Task DeliverAsync(AlertRecord alert, CancellationToken cancellationToken);
}

/// <summary>A sink did not take a notice; the message names no secret.</summary>
public sealed class AlertDeliveryException : Exception
{
    /// <summary>Creates the exception with a message that is safe to log.</summary>
    public AlertDeliveryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AlertDeliveryException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AlertDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
