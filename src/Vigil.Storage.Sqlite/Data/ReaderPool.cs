using System.Collections.Concurrent;

namespace Vigil.Storage.Sqlite.Data;

/// <summary>
/// Read connections, kept open between reads. In WAL mode readers do not block the writer or each
/// other, and each statement sees the last committed state.
/// </summary>
internal sealed class ReaderPool : IDisposable
{
    private readonly ConcurrentBag<SqlSession> _idle = [];
    private readonly SqliteStoreOptions _options;
    private readonly int _maxIdle;
    private int _idleCount;
    private volatile bool _disposed;

    public ReaderPool(SqliteStoreOptions options, int maxIdle)
    {
        _options = options;
        _maxIdle = maxIdle;
    }

    /// <summary>Runs <paramref name="query"/> on a read connection.</summary>
    /// <remarks>
    /// Synchronous on purpose: Microsoft.Data.Sqlite's async methods complete synchronously, so an
    /// async signature here would only pretend. The store's public methods stay asynchronous.
    /// </remarks>
    public T Read<T>(Func<SqlSession, T> query, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var session = Rent();
        try
        {
            return query(session);
        }
        catch
        {
            // A connection that failed mid-read is not worth trusting with the next one.
            session.Dispose();
            session = null;
            throw;
        }
        finally
        {
            if (session is not null)
            {
                Return(session);
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        DisposeIdle();
    }

    private SqlSession Rent()
    {
        if (_idle.TryTake(out var session))
        {
            Interlocked.Decrement(ref _idleCount);
            return session;
        }

        return SqlSession.Open(_options, writer: false);
    }

    private void Return(SqlSession session)
    {
        if (_disposed)
        {
            session.Dispose();
            return;
        }

        if (Interlocked.Increment(ref _idleCount) > _maxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            session.Dispose();
            return;
        }

        _idle.Add(session);
        if (_disposed)
        {
            // Dispose ran between the check above and the Add.
            DisposeIdle();
        }
    }

    private void DisposeIdle()
    {
        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }
    }
}
