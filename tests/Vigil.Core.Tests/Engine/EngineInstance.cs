using Vigil.Core.Tests.Supervision;
using Vigil.Engine;
using Vigil.Ledger;
using Vigil.Storage.Sqlite;
using Vigil.Supervision;

namespace Vigil.Core.Tests.Engine;

/// <summary>One engine incarnation of an <see cref="EngineHarness"/>: its own ledger connection, run loop and stop signal.</summary>
internal sealed class EngineInstance : IAsyncDisposable
{
    private readonly SqliteRunStore _store;
    private readonly CancellationTokenSource _stop = new();
    private readonly Action _crash;
    private readonly ManualTimeProvider _clock;

    public EngineInstance(SqliteRunStore store, EngineOptions options, ManualTimeProvider clock, HandlerRegistry handlers, Func<string, object?[], Exception?>? fault)
    {
        _store = store;
        _clock = clock;
        var ledger = CrashableStore.Wrap(store, fault, out _crash);
        Engine = VigilEngine.Create(ledger, options, clock, handlers);
        Running = Task.Run(() => Engine.RunAsync(_stop.Token));
    }

    public VigilEngine Engine { get; }

    /// <summary>The engine's run loop; completes after the drain and the clean stop.</summary>
    public Task Running { get; }

    public Incarnation Incarnation => Engine.Incarnation ?? throw new InvalidOperationException("not started");

    public bool Crashed { get; private set; }

    /// <summary>The first stop signal (SIGTERM): the engine begins to drain. Does not wait.</summary>
    public void SignalStop() => _stop.Cancel();

    /// <summary>Stops the engine and waits for its drain and clean stop (only for drains that need no clock movement).</summary>
    public async Task StopAsync()
    {
        SignalStop();
        await Running.WaitAsync(EngineHarness.Patience);
    }

    /// <summary>The process dies: from now on nothing this engine does reaches the ledger.</summary>
    public void Crash()
    {
        Crashed = true;
        _crash();
    }

    /// <summary>Clean-up: stops the engine if it still runs, moving the clock along so a drain or kill grace can end.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        var limit = TimeProvider.System.GetTimestamp() + (5 * TimeProvider.System.TimestampFrequency);
        while (!Running.IsCompleted && TimeProvider.System.GetTimestamp() < limit)
        {
            _clock.Advance(TimeSpan.FromMinutes(10));
            await Task.WhenAny(Running, Task.Delay(10));
        }

        if (Running.IsCompleted && !Crashed)
        {
            await Running;
        }

        await _store.DisposeAsync();
        _stop.Dispose();
    }
}
