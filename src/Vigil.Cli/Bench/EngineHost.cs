using System.Diagnostics;
using Vigil.Engine;
using Vigil.Supervision;

namespace Vigil.Cli.Bench;

/// <summary>A <see cref="VigilEngine"/> running in the background of a benchmark, stopped (drained) on dispose.</summary>
internal sealed class EngineHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private EngineHost(VigilEngine engine)
    {
        Engine = engine;
        Daemon.StartupGc.UntilReady(engine);
        Started = Stopwatch.GetTimestamp();
        _run = Task.Run(() => engine.RunAsync(_stop.Token));
    }

    /// <summary>The engine.</summary>
    public VigilEngine Engine { get; }

    /// <summary>The <see cref="Stopwatch"/> timestamp just before <see cref="VigilEngine.RunAsync"/> was called.</summary>
    public long Started { get; }

    /// <summary>Creates an engine over <paramref name="ledger"/> with <paramref name="handler"/> registered and starts it.</summary>
    public static EngineHost Start(BenchLedger ledger, IJobHandler handler, BenchOptions options, string node = "bench")
    {
        var engine = VigilEngine.Create(
            ledger.Store,
            new EngineOptions
            {
                Node = node,
                RunsDirectory = ledger.RunsDirectory,
                MaxConcurrentRuns = options.MaxConcurrentRuns,
                DrainTimeout = TimeSpan.FromSeconds(30),
            },
            options.Time,
            BenchJobs.Registry(handler));
        return new EngineHost(engine);
    }

    /// <summary>Waits for <see cref="VigilEngine.Ready"/>; fails if the engine stopped first.</summary>
    public async Task<RecoveryReport> ReadyAsync()
    {
        await Task.WhenAny(Engine.Ready, _run).ConfigureAwait(false);
        if (!Engine.Ready.IsCompleted)
        {
            await _run.ConfigureAwait(false);
            throw new InvalidOperationException("the engine stopped before it was ready");
        }

        return await Engine.Ready.ConfigureAwait(false);
    }

    /// <summary>Waits for the end of the loop's first pass (planning and starting what is due).</summary>
    public async Task FirstPassAsync()
    {
        await Task.WhenAny(Engine.FirstPass, _run).ConfigureAwait(false);
        if (!Engine.FirstPass.IsCompleted)
        {
            await _run.ConfigureAwait(false);
            throw new InvalidOperationException("the engine stopped before its first pass");
        }

        await Engine.FirstPass.ConfigureAwait(false);
    }

    /// <summary>Drains and stops the engine.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        finally
        {
            _stop.Dispose();
            await Engine.DisposeAsync().ConfigureAwait(false);
        }
    }
}
