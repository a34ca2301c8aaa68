using Vigil.Storage.Sqlite.Data;

namespace Vigil.Storage.Sqlite.Writing;

/// <summary>
/// One queued write. It runs inside the writer's batch transaction; its caller learns the result
/// only after the batch committed, so an acknowledged write is a durable write.
/// </summary>
internal abstract class WriteOperation(bool singleStatement, CancellationToken cancellationToken)
{
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>When the write was queued (<see cref="System.Diagnostics.Stopwatch"/> ticks), for the write-latency metric.</summary>
    public long EnqueuedTimestamp { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>
    /// The work changes the database with one statement at most, so SQLite's own statement rollback
    /// already undoes a failed one: it runs without a savepoint of its own.
    /// </summary>
    public bool SingleStatement { get; } = singleStatement;

    /// <summary>Runs the work and keeps its result (or its own failure) until <see cref="Complete"/>.</summary>
    public abstract void Execute(SqlSession session);

    /// <summary>The work threw and its savepoint was rolled back; the rest of the batch goes on.</summary>
    public abstract void SetFailure(Exception error);

    /// <summary>The batch committed: hands the kept result or failure to the caller.</summary>
    public abstract void Complete();

    /// <summary>The batch did not commit: the work's effects are gone, whatever it returned.</summary>
    public abstract void Fail(Exception error);

    /// <summary>The caller gave up before the work started.</summary>
    public abstract void Cancel();
}

internal sealed class WriteOperation<T>(Func<SqlSession, T> work, bool singleStatement, CancellationToken cancellationToken)
    : WriteOperation(singleStatement, cancellationToken)
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;
    private Exception? _failure;

    public Task<T> Task => _completion.Task;

    public override void Execute(SqlSession session)
    {
        _failure = null;
        _result = work(session);
    }

    public override void SetFailure(Exception error) => _failure = error;

    public override void Complete()
    {
        if (_failure is not null)
        {
            _completion.TrySetException(_failure);
        }
        else
        {
            _completion.TrySetResult(_result!);
        }
    }

    public override void Fail(Exception error) => _completion.TrySetException(error);

    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);
}
