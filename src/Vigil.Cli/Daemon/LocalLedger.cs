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

    /// <summary>The file a running daemon holds an exclusive lock on.</summary>
    public const string LockFile = "daemon.lock";

    /// <summary>
    /// Takes the data directory's daemon lock, so two daemons never share a ledger (the second would
    /// take the first one's running runs for a crashed incarnation's and interrupt them). The lock is
    /// released by the kernel when the process dies, however it dies.
    /// </summary>
    public static FileStream LockDataDirectory(VigilConfig config)
    {
        Directory.CreateDirectory(config.DataDir);
        var path = Path.Combine(config.DataDir, LockFile);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
            stream.Write(pid);
            stream.Flush();
            return stream;
        }
        catch (IOException)
        {
            var holder = ReadPid(path);
            throw new UsageException($"another vigil daemon{(holder is null ? string.Empty : $" (pid {holder})")} is running with data dir {config.DataDir}");
        }
    }

    private static string? ReadPid(string path)
    {
        try
        {
            using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var text = new StreamReader(reader);
            var line = text.ReadLine()?.Trim();
            return string.IsNullOrEmpty(line) ? null : line;
        }
        catch (IOException)
        {
            return null;
        }
    }

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
