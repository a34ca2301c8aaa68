using Vigil.Ledger;
using Vigil.Planning;
using Vigil.Scheduling;

namespace Vigil.Engine;

/// <summary>The drain: stop starting runs, detach what may outlive the process, mark, wait, interrupt what remains, record a clean stop.</summary>
/// <remarks>
/// Command runs under a shim whose job says <c>on_stop: detach</c> are left running: they stay
/// <c>running</c> in the ledger, owned by this incarnation, and the next start adopts them. A stop
/// with nothing else running is therefore immediate, whatever those commands still have to do.
/// </remarks>
public sealed partial class VigilEngine
{
    private async Task DrainAsync()
    {
        if (_incarnation is null)
        {
            return;
        }

        _draining = true;

        // The marks are committed before the drain waits: if the service manager kills the process
        // during the wait, recovery still knows these runs were killed during a drain (G4).
        var marked = await _store.BeginDrainAsync(_incarnation, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        Log.Draining(_logger, marked, Duration.Format(_options.DrainTimeout));

        var detached = 0;
        foreach (var run in _supervisor.Active.Where(a => a.CanDetach).ToList())
        {
            run.RequestDetach();
            await run.Recorded.ConfigureAwait(false);
            detached++;
        }

        if (detached > 0)
        {
            Log.Detached(_logger, detached);
        }

        var active = _supervisor.Active.ToList();
        if (active.Count > 0)
        {
            var all = Task.WhenAll(active.Select(a => a.Recorded));
            using var delayCancel = new CancellationTokenSource();
            await Task.WhenAny(all, _interrupt.Task, Task.Delay(_options.DrainTimeout, _time, delayCancel.Token)).ConfigureAwait(false);
            await delayCancel.CancelAsync().ConfigureAwait(false);
            if (!all.IsCompleted)
            {
                var reason = _interrupt.Task.IsCompleted
                    ? "interrupted by a second stop signal during the drain"
                    : RetryDecider.DrainTimedOut;
                foreach (var run in _supervisor.Active)
                {
                    run.RequestEnd(RunState.Interrupted, reason);
                }

                // Each run is recorded at most kill_grace after this, whether or not its action returns.
                await Task.WhenAll(_supervisor.Active.Select(a => a.Recorded).Append(all)).ConfigureAwait(false);
            }
        }

        await _store.StopIncarnationAsync(_incarnation, clean: true, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        Log.Stopped(_logger, "cleanly");
    }
}
