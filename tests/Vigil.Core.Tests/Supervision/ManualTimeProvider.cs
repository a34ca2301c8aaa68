namespace Vigil.Core.Tests.Supervision;

/// <summary>A clock that moves only when a test advances it; its timers fire during <see cref="Advance"/>.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _timersChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _now = start;

    public ManualTimeProvider()
        : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <summary>Completes when the first timer is created, so a test advances the clock only once something waits on it.</summary>
    public Task TimerCreated => _timerCreated.Task;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_lock)
        {
            _now += by;
            due = _timers.FindAll(t => t.DueAt is { } at && at <= _now);
            due.Sort((a, b) => Nullable.Compare(a.DueAt, b.DueAt));
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    /// <summary>Moves the clock to <paramref name="instant"/> (never backwards), firing every timer due by then.</summary>
    public void AdvanceTo(DateTimeOffset instant)
    {
        var by = instant - GetUtcNow();
        if (by > TimeSpan.Zero)
        {
            Advance(by);
        }
    }

    /// <summary>
    /// Completes once a timer is armed to fire at exactly <paramref name="dueAt"/>: the code under test
    /// is waiting for that instant, so advancing to it now exercises the wait instead of racing it.
    /// </summary>
    public async Task WaitForTimerAsync(DateTimeOffset dueAt, TimeSpan patience)
    {
        using var limit = new CancellationTokenSource(patience);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_timers.Exists(t => t.DueAt == dueAt))
                {
                    return;
                }

                changed = _timersChanged.Task;
            }

            try
            {
                await changed.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no timer was armed for {dueAt:O} within {patience.TotalSeconds}s");
            }
        }
    }

    /// <summary>Call under the lock: wakes everyone waiting for a change of the armed timers.</summary>
    private void SignalTimersChanged()
    {
        _timersChanged.TrySetResult();
        _timersChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        _timerCreated.TrySetResult();
        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                _period = period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + dueTime;
                if (!clock._timers.Contains(this))
                {
                    clock._timers.Add(this);
                }

                clock.SignalTimersChanged();
            }

            return true;
        }

        public void Fire()
        {
            lock (clock._lock)
            {
                DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : clock._now + _period;
            }

            callback(state);
        }

        public void Dispose()
        {
            lock (clock._lock)
            {
                clock._timers.Remove(this);
                DueAt = null;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
