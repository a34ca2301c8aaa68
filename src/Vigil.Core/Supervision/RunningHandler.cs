namespace Vigil.Supervision;

/// <summary>A handler running on the thread pool.</summary>
/// <remarks>
/// A handler is stopped only by its cancellation token. One that ignores the token cannot be forced:
/// <see cref="Kill"/> does nothing more, <see cref="Completion"/> may never complete, and the
/// supervisor finalizes the run as timed out and abandons the task (G3).
/// </remarks>
internal sealed class RunningHandler : IRunningAction
{
    private readonly OutputTail _tail;
    private readonly CancellationTokenSource _cancellation = new();
    private int _disposed;

    private readonly IJobHandler _handler;
    private readonly RunContext _context;
    private Task<ActionResult>? _completion;

    /// <summary>Starts <paramref name="handler"/> with <paramref name="context"/>, its output going to <paramref name="tail"/>.</summary>
    public RunningHandler(IJobHandler handler, RunContext context, OutputTail tail)
        : this(handler, context, tail, start: true)
    {
    }

    private RunningHandler(IJobHandler handler, RunContext context, OutputTail tail, bool start)
    {
        _tail = tail;
        _handler = handler;
        _context = context with { Output = new OutputTailWriter(tail) };
        if (start)
        {
            Launch();
        }
    }

    /// <inheritdoc />
    public Task<ActionResult> Completion => _completion ?? throw new InvalidOperationException("the handler has not been started");

    /// <summary>Everything made but the handler not started: <see cref="Launch"/> starts it.</summary>
    public static RunningHandler Prepare(IJobHandler handler, RunContext context, OutputTail tail) => new(handler, context, tail, start: false);

    /// <summary>Starts the handler (once).</summary>
    public IRunningAction Launch()
    {
        _completion ??= RunAsync(_handler, _context, _cancellation.Token);
        return this;
    }

    /// <inheritdoc />
    public long LastOutputTicks => _tail.LastOutputTicks;

    /// <inheritdoc />
    public string OutputTail => _tail.ToString();

    /// <inheritdoc />
    public void RequestStop()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _cancellation.Cancel();
        }
    }

    /// <inheritdoc />
    /// <remarks>Nothing more than <see cref="RequestStop"/> is possible for in-process code.</remarks>
    public void Kill() => RequestStop();

    /// <summary>Cancels the token; a handler still running is abandoned.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _cancellation.Cancel();
        }
    }

    private async Task<ActionResult> RunAsync(IJobHandler handler, RunContext context, CancellationToken cancellationToken)
    {
        HandlerResult? result;
        try
        {
            // On the pool: a handler that blocks before its first await must not block the supervisor.
            // PreferFairness puts it on the pool's global queue, so a burst of runs started together
            // begins in the order it was started, on every pool thread, instead of last-first on
            // the starting thread's own queue.
            result = await Task.Factory.StartNew(
                () => handler.RunAsync(context, cancellationToken),
                CancellationToken.None,
                TaskCreationOptions.PreferFairness | TaskCreationOptions.DenyChildAttach,
                TaskScheduler.Default).Unwrap().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Failed("handler stopped on cancellation");
        }
        catch (Exception exception)
        {
            return Failed(Reasons.Of(exception));
        }

        if (result is null)
        {
            return Failed("handler returned no result");
        }

        var reason = result.Status switch
        {
            "ok" or "empty" => null,
            "failed" => string.IsNullOrWhiteSpace(result.Summary) ? "handler reported failed" : $"handler reported failed: {Reasons.OneLine(result.Summary)}",
            _ => $"handler returned an unknown status: {Reasons.OneLine(result.Status ?? "null")}",
        };
        return new ActionResult
        {
            Success = reason is null,
            Reason = reason,
            Output = _tail.ToString(),
            ResultStatus = result.Status,
            Summary = result.Summary,
            TokensIn = result.TokensIn,
            TokensOut = result.TokensOut,
        };
    }

    private ActionResult Failed(string reason) => new() { Success = false, Reason = reason, Output = _tail.ToString() };
}
