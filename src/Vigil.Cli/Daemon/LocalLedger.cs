using Vigil.Configuration;
using Vigil.Ledger;
using Vigil.Storage.Sqlite;

namespace Vigil.Cli.Daemon;

/// <summary>Opens the ledger a config names: the embedded SQLite file under <c>data_dir</c>.</summary>
internal static class LocalLedger
{
    /// <summary>The file whose change wakes the daemon after a CLI write.</summary>
    public const string WakeFile = "wake";

    /// <summary>The file whose creation asks the daemon to drain (written by <c>vigil drain</c>).</summary>
    public const string DrainFile = "drain-request";

    /// <summary>Opens (creating if needed) and migrates the store.</summary>
    public static async Task<IRunStore> OpenAsync(VigilConfig config, TimeProvider time, CancellationToken cancellationToken)
    {
        if (config.Storage is not null)
        {
            throw new UsageException($"{config.ConfigPath}: storage \"{Redact(config.Storage)}\" is not supported by this version; remove the key to use the embedded SQLite ledger");
        }

        Directory.CreateDirectory(config.DataDir);
        return await SqliteRunStore.OpenAsync(new SqliteStoreOptions { Path = config.SqlitePath, TimeProvider = time }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells a running daemon that the ledger changed (it re-reads jobs and pending runs).</summary>
    public static void Wake(VigilConfig config)
    {
        try
        {
            Directory.CreateDirectory(config.DataDir);
            File.WriteAllText(Path.Combine(config.DataDir, WakeFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            // The daemon also re-reads the ledger on its own at least once a minute.
        }
    }

    private static string Redact(string url)
    {
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 ? string.Concat(url.AsSpan(0, scheme + 3), "***", url.AsSpan(at)) : url;
    }
}
