using System.Diagnostics;
using System.Globalization;
using Vigil.Ledger;

namespace Vigil.Storage.Sqlite.Tests;

/// <summary>
/// A real process writes runs through the group-commit writer and is killed with SIGKILL; every
/// run it had been told was finished must be in the ledger afterwards.
/// </summary>
public sealed class SqliteCrashTests : IDisposable
{
    private const int AcknowledgementsBeforeKill = 400;

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Delete();

    [Fact]
    public async Task KilledWriter_EveryAcknowledgedRun_SurvivesReopen()
    {
        var acknowledged = new List<long>();
        using (var child = StartChild(_database.Path, workers: 8))
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
                var ready = await child.StandardOutput.ReadLineAsync(timeout.Token);
                if (ready != "ready")
                {
                    Assert.Fail($"the child did not start: {ready} {await child.StandardError.ReadToEndAsync(timeout.Token)}");
                }

                while (acknowledged.Count < AcknowledgementsBeforeKill)
                {
                    var line = await child.StandardOutput.ReadLineAsync(timeout.Token)
                        ?? throw new InvalidOperationException("the child exited early: " + await child.StandardError.ReadToEndAsync(timeout.Token));
                    acknowledged.Add(long.Parse(line, CultureInfo.InvariantCulture));
                }
            }
            finally
            {
                // SIGKILL on Unix: no finalizers, no DisposeAsync, no chance to flush anything.
                child.Kill(entireProcessTree: true);
            }

            // Lines already written before the kill were acknowledged too.
            var rest = await child.StandardOutput.ReadToEndAsync();
            acknowledged.AddRange(rest.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l.Length > 0 && char.IsAsciiDigit(l[0]))
                .Select(l => long.Parse(l, CultureInfo.InvariantCulture)));
            await child.WaitForExitAsync();
        }

        await using var store = await SqliteRunStore.OpenAsync(_database.Path, CancellationToken.None);
        foreach (var id in acknowledged)
        {
            var run = await store.GetRunAsync(id, CancellationToken.None);
            Assert.True(run is { State: RunState.Succeeded }, $"acknowledged run {id} is {run?.State.Name() ?? "missing"}");
        }

        var integrity = await store.WriteAsync(s => s.Scalar<string>("PRAGMA integrity_check"), CancellationToken.None);
        Assert.Equal("ok", integrity);
        Assert.True((await store.ListRunningAsync("crash-child", CancellationToken.None)).Count <= 8);
    }

    private static Process StartChild(string database, int workers)
    {
        var childDll = Path.Combine(AppContext.BaseDirectory, "Vigil.Storage.Sqlite.CrashChild.dll");
        Assert.True(File.Exists(childDll), $"missing {childDll}");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(childDll);
        start.ArgumentList.Add(database);
        start.ArgumentList.Add(workers.ToString(CultureInfo.InvariantCulture));
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the crash child");
    }

    /// <summary>The dotnet host running the tests, so the child uses the same runtime.</summary>
    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
