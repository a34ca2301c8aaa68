using Vigil.Ledger;
using Vigil.Storage.Conformance;
using Xunit.Abstractions;

namespace Vigil.Storage.Sqlite.Tests;

/// <summary>The storage conformance suite against a fresh SQLite file per test.</summary>
public sealed class SqliteRunStoreTests(ITestOutputHelper output) : RunStoreConformanceTests(output)
{
    private readonly TempDatabase _database = new();

    protected override async Task<IRunStore> CreateStoreAsync() =>
        await SqliteRunStore.OpenAsync(_database.Path, CancellationToken.None);

    protected override Task<IRunStore> ReopenStoreAsync() => CreateStoreAsync();

    protected override WriteCounters? ReadWriteCounters(IRunStore store) =>
        store is SqliteRunStore sqlite ? new WriteCounters(sqlite.Statistics.Commits, sqlite.Statistics.Operations) : null;

    protected override Task CleanupAsync()
    {
        _database.Delete();
        return Task.CompletedTask;
    }
}
