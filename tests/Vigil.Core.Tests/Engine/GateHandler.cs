using System.Collections.Concurrent;
using System.Threading.Channels;
using Vigil.Supervision;

namespace Vigil.Core.Tests.Engine;

/// <summary>
/// A handler whose runs end only when the test says so: each start is reported, and the test
/// completes, fails or abandons each run. It also counts how many of its runs overlap.
/// </summary>
internal sealed class GateHandler : IJobHandler
{
    private readonly Channel<GateRun> _started = Channel.CreateUnbounded<GateRun>();
    private readonly ConcurrentQueue<GateRun> _all = new();
    private int _active;
    private int _maxActive;

    /// <summary>When true, runs ignore their cancellation token (a handler whose task never completes).</summary>
    public bool IgnoresCancellation { get; init; }

    /// <summary>The most runs of this handler that were active at once.</summary>
    public int MaxActive => Volatile.Read(ref _maxActive);

    /// <summary>Every run started so far, in start order.</summary>
    public IReadOnlyList<GateRun> Started => [.. _all];

    public async Task<HandlerResult> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var run = new GateRun(context, cancellationToken);
        var active = Interlocked.Increment(ref _active);
        InterlockedMax(ref _maxActive, active);
        try
        {
            _all.Enqueue(run);
            _started.Writer.TryWrite(run);
            return await run.Outcome.WaitAsync(IgnoresCancellation ? CancellationToken.None : cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>The next run to start (waits for it).</summary>
    public async Task<GateRun> NextAsync()
    {
        using var limit = new CancellationTokenSource(EngineHarness.Patience);
        try
        {
            return await _started.Reader.ReadAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no run of the handler started within {EngineHarness.Patience.TotalSeconds}s");
        }
    }

    /// <summary>Lets every run end (test clean-up).</summary>
    public void ReleaseAll()
    {
        foreach (var run in _all)
        {
            run.Succeed();
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}

/// <summary>One run of a <see cref="GateHandler"/>.</summary>
internal sealed class GateRun(RunContext context, CancellationToken cancellationToken)
{
    private readonly TaskCompletionSource<HandlerResult> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RunContext Context { get; } = context;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public Task<HandlerResult> Outcome => _outcome.Task;

    public void Succeed() => _outcome.TrySetResult(HandlerResult.Ok);

    public void Fail(string summary) => _outcome.TrySetResult(new HandlerResult { Status = "failed", Summary = summary });

    /// <summary>Writes one output line (resets the idle timer).</summary>
    public void Say(string line) => Context.Output.WriteLine(line);
}
