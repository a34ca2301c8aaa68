namespace Vigil.Core.Tests.Supervision;

/// <summary>Runs an action on dispose: test clean-up that happens whether the test passes or not.</summary>
internal sealed class AsyncDisposable(Action onDispose) : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        onDispose();
        return ValueTask.CompletedTask;
    }
}
