namespace Vigil.Supervision;

/// <summary>An action that failed before it could start (a missing variable, a program not found): already complete.</summary>
internal sealed class NotStartedAction(string reason, TimeProvider timeProvider) : IRunningAction
{
    /// <inheritdoc />
    public Task<ActionResult> Completion { get; } = Task.FromResult(new ActionResult { Success = false, Reason = reason });

    /// <inheritdoc />
    public long LastOutputTicks { get; } = timeProvider.GetUtcNow().UtcTicks;

    /// <inheritdoc />
    public string OutputTail => string.Empty;

    /// <inheritdoc />
    public void RequestStop()
    {
    }

    /// <inheritdoc />
    public void Kill()
    {
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
