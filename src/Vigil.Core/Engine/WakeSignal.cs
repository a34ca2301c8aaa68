namespace Vigil.Engine;

/// <summary>An auto-reset signal the loop awaits together with its next due instant.</summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource _source = NewSource();

    /// <summary>Wakes the current (or the next) waiter.</summary>
    public void Set() => Volatile.Read(ref _source).TrySetResult();

    /// <summary>A task that completes at the next <see cref="Set"/>; resets the signal.</summary>
    public Task WaitAsync()
    {
        var current = Volatile.Read(ref _source);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _source, NewSource(), current);
            return Task.CompletedTask;
        }

        return current.Task;
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
