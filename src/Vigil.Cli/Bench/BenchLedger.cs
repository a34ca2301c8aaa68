using Vigil.Storage.Sqlite;

namespace Vigil.Cli.Bench;

/// <summary>
/// A temporary SQLite ledger with the daemon's settings (WAL, <c>synchronous=FULL</c>) in a new
/// directory that is deleted, with everything in it, on dispose.
/// </summary>
internal sealed class BenchLedger : IAsyncDisposable
{
    private BenchLedger(string directory, SqliteRunStore store)
    {
        Directory = directory;
        Store = store;
    }

    /// <summary>The temporary directory (the database file and the engine's runs directory live here).</summary>
    public string Directory { get; }

    /// <summary>The open, migrated store.</summary>
    public SqliteRunStore Store { get; }

    /// <summary>The directory the engine keeps per-run files in.</summary>
    public string RunsDirectory => Path.Combine(Directory, "runs");

    /// <summary>Creates the directory under <paramref name="parent"/> (or the temporary directory) and opens the store.</summary>
    public static async Task<BenchLedger> CreateAsync(string? parent, TimeProvider time, CancellationToken cancellationToken)
    {
        var root = parent ?? Path.GetTempPath();
        if (!System.IO.Directory.Exists(root))
        {
            throw new UsageException($"--dir {root}: no such directory");
        }

        var directory = Path.Combine(root, "vigil-bench-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            var store = await SqliteRunStore.OpenAsync(
                new SqliteStoreOptions { Path = Path.Combine(directory, "ledger.db"), TimeProvider = time },
                cancellationToken).ConfigureAwait(false);
            return new BenchLedger(directory, store);
        }
        catch
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Closes the store and deletes the directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync().ConfigureAwait(false);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary directory is not worth failing the benchmark for.
        }
    }
}
