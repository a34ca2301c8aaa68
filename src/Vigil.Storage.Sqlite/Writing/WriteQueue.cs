using System.Threading.Channels;
using SQLitePCL;
using Vigil.Storage.Sqlite.Data;

namespace Vigil.Storage.Sqlite.Writing;

/// <summary>
/// Group commit: one writer connection owned by one loop. Callers queue operations; the loop takes
/// up to <c>MaxBatch</c> of them, runs them in one transaction (a savepoint each, so a failing
/// operation fails only itself), commits once and only then completes each caller.
/// </summary>
/// <remarks>
/// <para>With <c>synchronous=FULL</c> a commit costs one flush to disk. Under load the queue fills
/// while the previous commit flushes, so the next transaction carries many operations for the price
/// of one flush; alone, an operation commits at once (no timer, no added latency).</para>
/// <para>Cancellation is honoured until an operation starts; once it ran, its caller gets the
/// committed outcome, because the effect happened.</para>
/// </remarks>
internal sealed class WriteQueue : IAsyncDisposable
{
    private readonly Channel<WriteOperation> _queue =
        Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true });

    private readonly SqlSession _session;
    private readonly int _maxBatch;
    private readonly Task _loop;
    private long _commits;
    private long _operations;
    private Exception? _fault;

    public WriteQueue(SqlSession session, int maxBatch)
    {
        _session = session;
        _maxBatch = maxBatch;
        _loop = Task.Run(RunAsync);
    }

    public StoreStatistics Statistics => new(Interlocked.Read(ref _commits), Interlocked.Read(ref _operations));

    /// <summary>Queues <paramref name="work"/>; the task completes after the transaction that ran it committed.</summary>
    /// <param name="work">The write; it runs on the writer's thread inside the batch transaction.</param>
    /// <param name="cancellationToken">Honoured until the work starts.</param>
    /// <param name="singleStatement">
    /// The work changes the database with at most one statement (reads around it are fine). It then
    /// runs without a savepoint: a failing statement is undone by SQLite itself, and two statements
    /// per write are saved on the hot path (insert, claim).
    /// </param>
    public Task<T> EnqueueAsync<T>(Func<SqlSession, T> work, CancellationToken cancellationToken, bool singleStatement = false)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var operation = new WriteOperation<T>(work, singleStatement, cancellationToken);
        if (!_queue.Writer.TryWrite(operation))
        {
            return Task.FromException<T>(_fault is { } fault
                ? new InvalidOperationException("the SQLite ledger's writer stopped after an error", fault)
                : new ObjectDisposedException(nameof(SqliteRunStore)));
        }

        return operation.Task;
    }

    /// <summary>Stops taking operations, commits everything already queued, then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _session.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteOperation>(Math.Min(_maxBatch, 1024));
        try
        {
            while (true)
            {
                if (batch.Count == 0 && !await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
                {
                    return;
                }

                while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var operation))
                {
                    batch.Add(operation);
                }

                RunBatch(batch);
            }
        }
#pragma warning disable CA1031 // The loop must fail every waiting caller rather than die silently.
        catch (Exception error)
#pragma warning restore CA1031
        {
            _fault = error;
            _queue.Writer.TryComplete(error);
            foreach (var operation in batch)
            {
                operation.Fail(error);
            }

            while (_queue.Reader.TryRead(out var operation))
            {
                operation.Fail(error);
            }
        }
    }

    /// <summary>
    /// Runs and commits as much of <paramref name="batch"/> as one transaction can carry and removes
    /// what it completed. Operations left in the list run in the next transaction.
    /// </summary>
    private void RunBatch(List<WriteOperation> batch)
    {
        batch.RemoveAll(static operation =>
        {
            if (!operation.CancellationToken.IsCancellationRequested)
            {
                return false;
            }

            operation.Cancel();
            return true;
        });
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            _session.Execute("BEGIN IMMEDIATE");
        }
#pragma warning disable CA1031 // Reported to every caller of the batch.
        catch (Exception error)
#pragma warning restore CA1031
        {
            FailAll(batch, batch.Count, error);
            return;
        }

        var executed = 0;
        Exception? abort = null;
        foreach (var operation in batch)
        {
            executed++;
            try
            {
                if (operation.SingleStatement)
                {
                    operation.Execute(_session);
                }
                else
                {
                    _session.Execute("SAVEPOINT op");
                    operation.Execute(_session);
                    _session.Execute("RELEASE op");
                }
            }
#pragma warning disable CA1031 // An operation's failure belongs to its caller, not to the batch.
            catch (Exception error)
#pragma warning restore CA1031
            {
                if (operation.SingleStatement ? InTransaction() : TryRollBackToSavepoint())
                {
                    operation.SetFailure(error);
                    continue;
                }

                // SQLite rolled the whole transaction back (I/O error, disk full, ...): the operations
                // before this one lost their effects too and must not be acknowledged.
                abort = error;
                operation.Fail(error);
                break;
            }
        }

        if (abort is not null)
        {
            FailAll(batch, executed - 1, new InvalidOperationException("the write was rolled back with its batch: " + abort.Message, abort));
            batch.RemoveRange(0, executed);
            return;
        }

        try
        {
            _session.Execute("COMMIT");
        }
#pragma warning disable CA1031 // Reported to every caller of the batch.
        catch (Exception error)
#pragma warning restore CA1031
        {
            RollBackQuietly();
            FailAll(batch, executed, error);
            return;
        }

        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _operations, executed);
        Telemetry.LedgerMetrics.Committed(batch.Select(static o => o.EnqueuedTimestamp));
        foreach (var operation in batch)
        {
            operation.Complete();
        }

        batch.Clear();
    }

    private void FailAll(List<WriteOperation> batch, int count, Exception error)
    {
        for (var i = 0; i < count; i++)
        {
            batch[i].Fail(error);
        }

        if (count == batch.Count)
        {
            batch.Clear();
        }

        RollBackQuietly();
    }

    private bool TryRollBackToSavepoint()
    {
        if (!InTransaction())
        {
            return false;
        }

        try
        {
            _session.Execute("ROLLBACK TO op");
            _session.Execute("RELEASE op");
            return true;
        }
#pragma warning disable CA1031 // Treated as a lost transaction by the caller.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private void RollBackQuietly()
    {
        if (!InTransaction())
        {
            return;
        }

        try
        {
            _session.Execute("ROLLBACK");
        }
#pragma warning disable CA1031 // Nothing more can be done; the callers already have the original error.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private bool InTransaction() => raw.sqlite3_get_autocommit(_session.Connection.Handle) == 0;
}
