using Vigil.Supervision;

namespace Vigil.Cli.Bench;

/// <summary>
/// Returns at once. Counts its calls and, when asked, records how late each call started relative
/// to its slot (the action start comes after the running mark is committed, so it bounds that too).
/// </summary>
internal sealed class NoOpHandler(TimeProvider time, int capacity = 0) : IJobHandler
{
    private static readonly Task<HandlerResult> Done = Task.FromResult(HandlerResult.Ok);
    private readonly double[] _lateness = new double[capacity];
    private int _calls;
    private int _recorded;

    /// <summary>Only slots at or after this instant are recorded (the warm-up is left out).</summary>
    public DateTimeOffset RecordFrom { get; set; } = DateTimeOffset.MaxValue;

    /// <summary>Only slots before this instant are recorded.</summary>
    public DateTimeOffset RecordUntil { get; set; } = DateTimeOffset.MaxValue;

    /// <summary>Calls so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The recorded lateness values in milliseconds.</summary>
    public ReadOnlySpan<double> Lateness => _lateness.AsSpan(0, Math.Min(Volatile.Read(ref _recorded), _lateness.Length));

    /// <summary>Recorded calls that did not fit in the buffer.</summary>
    public int Overflow => Math.Max(0, Volatile.Read(ref _recorded) - _lateness.Length);

    /// <summary>Forgets the calls so far (after a warm-up).</summary>
    public void Reset() => Interlocked.Exchange(ref _calls, 0);

    /// <inheritdoc />
    public Task<HandlerResult> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (_lateness.Length > 0 && context.Slot >= RecordFrom && context.Slot < RecordUntil)
        {
            var late = (time.GetUtcNow() - context.Slot).TotalMilliseconds;
            var index = Interlocked.Increment(ref _recorded) - 1;
            if (index < _lateness.Length)
            {
                _lateness[index] = late;
            }
        }

        return Done;
    }
}
