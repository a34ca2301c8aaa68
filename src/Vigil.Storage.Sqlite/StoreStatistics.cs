namespace Vigil.Storage.Sqlite;

/// <summary>Counters of the store's writer since it was opened.</summary>
/// <param name="Commits">Transactions committed by the writer (each is one flush to disk).</param>
/// <param name="Operations">Write operations those transactions carried, including ones that failed on their own.</param>
public sealed record StoreStatistics(long Commits, long Operations)
{
    /// <summary>Operations per commit; 0 before the first commit.</summary>
    public double OperationsPerCommit => Commits == 0 ? 0 : (double)Operations / Commits;
}
