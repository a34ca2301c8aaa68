using Microsoft.Extensions.Logging;
using Vigil.Engine;
using Vigil.Incidents;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Alerts;

/// <summary>
/// Delivers the outbox: each due notice to every sink that has not taken it yet; records which did,
/// and retries the rest with exponential backoff. Notices stay in the ledger until every sink took
/// them, so one enqueued before a crash is delivered after the restart.
/// </summary>
internal sealed class AlertDispatcher
{
    private const int Batch = 100;

    private readonly IRunStore _store;
    private volatile IReadOnlyList<IAlertSink> _sinks;
    private readonly IncidentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WakeSignal _wake = new();

    public AlertDispatcher(IRunStore store, IReadOnlyList<IAlertSink> sinks, IncidentOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _sinks = sinks;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Notices were queued: deliver now.</summary>
    public void Notify() => _wake.Set();

    /// <summary>
    /// Delivers to <paramref name="sinks"/> from the next pass on (a config reload). Sinks are known
    /// by their id (made from their URL or command), so a notice already taken by a sink that is
    /// kept is not sent to it again, and one not yet taken by every new sink stays in the outbox.
    /// </summary>
    public void ReplaceSinks(IReadOnlyList<IAlertSink> sinks)
    {
        _sinks = sinks;
        _wake.Set();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await DeliverDueAsync(cancellationToken).ConfigureAwait(false);
                var signal = _wake.WaitAsync();
                using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                await Task.WhenAny(signal, Task.Delay(_options.AlertBackoff, _time, delayCancel.Token)).ConfigureAwait(false);
                await delayCancel.CancelAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Delivery must survive a failed ledger call; it retries after a pause.
            catch (Exception e)
#pragma warning restore CA1031
            {
                IncidentLog.MonitorFailed(_logger, "alert dispatcher", e);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One pass over the due notices; returns how many were completed.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var done = 0;
        var sinks = _sinks;
        var due = await _store.ListDueAlertsAsync(_time.GetUtcNow(), Batch, cancellationToken).ConfigureAwait(false);
        foreach (var alert in due)
        {
            var delivered = new List<string>(alert.DeliveredTo);
            var errors = new List<string>();
            foreach (var sink in sinks.Where(s => !alert.DeliveredTo.Contains(s.Id)))
            {
                using var limit = new CancellationTokenSource(_options.AlertTimeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
                try
                {
                    await sink.DeliverAsync(alert, linked.Token).ConfigureAwait(false);
                    delivered.Add(sink.Id);
                }
                catch (AlertDeliveryException e)
                {
                    errors.Add($"{sink.Id}: {e.Message}");
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    errors.Add($"{sink.Id}: did not finish in {Duration.Format(_options.AlertTimeout)}");
                }
            }

            var now = _time.GetUtcNow();
            DateTimeOffset? retryAt = errors.Count == 0 ? null : now + Backoff(alert.Attempts + 1);
            await _store.RecordAlertAttemptAsync(
                new AlertAttempt { AlertId = alert.Id, DeliveredTo = delivered, RetryAt = retryAt, Error = errors.Count == 0 ? null : string.Join("; ", errors) },
                now,
                cancellationToken).ConfigureAwait(false);
            if (retryAt is { } at)
            {
                foreach (var error in errors)
                {
                    IncidentLog.AlertFailed(_logger, alert.Id, alert.Event.Name(), alert.Incident.Id, error[..error.IndexOf(':', StringComparison.Ordinal)], alert.Attempts + 1, Iso.Format(at), error);
                }
            }
            else
            {
                done++;
                IncidentLog.AlertDelivered(_logger, alert.Id, alert.Event.Name(), alert.Incident.Id, string.Join(", ", delivered));
            }
        }

        return done;
    }

    /// <summary>The wait after attempt <paramref name="attempt"/>: backoff × 2^(attempt-1), at most the maximum.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var wait = _options.AlertBackoff;
        for (var i = 1; i < attempt && wait < _options.AlertMaxBackoff; i++)
        {
            wait *= 2;
        }

        return wait < _options.AlertMaxBackoff ? wait : _options.AlertMaxBackoff;
    }
}
