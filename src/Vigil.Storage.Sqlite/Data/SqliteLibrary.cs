using SQLitePCL;

namespace Vigil.Storage.Sqlite.Data;

/// <summary>Process-wide settings of the SQLite library, applied once before the first connection opens.</summary>
/// <remarks>
/// <para>Every connection the store opens is used by one thread at a time (the writer owns one,
/// readers rent one each), so SQLite's per-connection mutexes (<c>SQLITE_CONFIG_MULTITHREAD</c>
/// rather than the bundled library's serialized default) and its memory statistics, which take a
/// global mutex on every allocation, buy nothing here and cost a measurable share of every
/// statement on the write path (see BENCHMARKS.md).</para>
/// <para>The settings can only be changed before the library initializes. If another component of
/// the process opened a SQLite connection first, they are left as they are: the store works the
/// same, only slower.</para>
/// </remarks>
internal static class SqliteLibrary
{
    private const int ConfigMultiThread = 2;
    private const int ConfigMemStatus = 9;
    private static readonly Lazy<bool> Configured = new(Configure, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when this process runs SQLite in multi-thread mode without memory statistics.</summary>
    public static bool Tuned => Configured.Value;

    public static void EnsureConfigured() => _ = Configured.Value;

    private static bool Configure()
    {
        Batteries_V2.Init();
        var threading = raw.sqlite3_config(ConfigMultiThread);
        var statistics = raw.sqlite3_config(ConfigMemStatus, 0);
        return threading == raw.SQLITE_OK && statistics == raw.SQLITE_OK;
    }
}
