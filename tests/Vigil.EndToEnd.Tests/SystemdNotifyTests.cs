using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Vigil.EndToEnd.Tests;

/// <summary>
/// sd_notify against a real Unix datagram socket bound by the test as <c>NOTIFY_SOCKET</c>, with the
/// real daemon: READY after recovery, WATCHDOG at half of <c>WATCHDOG_USEC</c> while healthy and not
/// while a loop is stalled, STOPPING when the drain begins; and <c>on_stall: exit</c>.
/// </summary>
public sealed class SystemdNotifyTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Workspace _workspace = new();
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public void Dispose()
    {
        _socket.Dispose();
        _workspace.Dispose();
    }

    private async Task<string> ReceiveAsync()
    {
        var buffer = new byte[4096];
        using var limit = new CancellationTokenSource(Patience);
        var length = await _socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private async Task<string> ReceiveUntilAsync(Func<string, bool> wanted, List<string> seen)
    {
        while (true)
        {
            var message = await ReceiveAsync();
            seen.Add(message);
            if (wanted(message))
            {
                return message;
            }
        }
    }

    /// <summary>Holds the ledger's write lock, as a stuck writer would: every write of the daemon blocks and fails.</summary>
    private SqliteConnection LockLedger()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _workspace.Ledger.Path, Pooling = false }.ToString());
        connection.Open();
        using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        begin.ExecuteNonQuery();
        return connection;
    }

    private void WriteConfig(string extra) => _workspace.Write("vigil.yaml", $"""
        data_dir: ./data
        node: e2e
        timezone: UTC
        drain_timeout: 1s
        stall_after: 2s
        {extra}
        jobs:
          tick:
            every: 1s
            run: {"{"} command: ["true"] {"}"}
        """);

    [Fact]
    public async Task Notify_ReadyWatchdogWhileHealthy_NoWatchdogWhileStalled_StoppingOnDrain()
    {
        var path = _workspace.File("notify.sock");
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        WriteConfig(string.Empty);
        using var daemon = Daemon.Start(_workspace.Config, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path, ["WATCHDOG_USEC"] = "1000000" });
        var seen = new List<string>();

        var ready = await ReceiveUntilAsync(m => m.Contains("READY=1", StringComparison.Ordinal), seen);
        Assert.Contains("STATUS=running; ", ready, StringComparison.Ordinal);
        await _workspace.Ledger.WaitForRunsAsync(r => r.Any(x => x.State == "succeeded"), "a run of tick", Patience);
        var watchdog = await ReceiveUntilAsync(m => m.StartsWith("WATCHDOG=1\n", StringComparison.Ordinal), seen);
        Assert.Contains("STATUS=running; ", watchdog, StringComparison.Ordinal);

        using (LockLedger())
        {
            var stalled = await ReceiveUntilAsync(m => m.Contains("STATUS=STALLED: the planner loop has made no progress", StringComparison.Ordinal), seen);
            Assert.DoesNotContain("WATCHDOG=1", stalled, StringComparison.Ordinal);

            // The health loop keeps reporting every half-second while stalled: none of it pets the watchdog.
            for (var i = 0; i < 4; i++)
            {
                var message = await ReceiveAsync();
                Assert.DoesNotContain("WATCHDOG=1", message, StringComparison.Ordinal);
                Assert.Contains("STALLED", message, StringComparison.Ordinal);
            }
        }

        await ReceiveUntilAsync(m => m.StartsWith("WATCHDOG=1\n", StringComparison.Ordinal), seen);
        await _workspace.Ledger.WaitForIncidentsAsync(
            i => i.Any(x => x.Kind == "scheduler_stalled" && x.State == "resolved"),
            "the scheduler_stalled incident opened and resolved",
            Patience);

        daemon.Signal(Posix.SigTerm);
        await ReceiveUntilAsync(m => m.Contains("STOPPING=1", StringComparison.Ordinal), seen);
        Assert.Equal(0, await daemon.WaitForExitAsync(Patience));
        Assert.Contains("Scheduler stalled: the planner loop has made no progress", daemon.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notify_AbstractSocketName_ReceivesReady()
    {
        var name = "vigil-test-" + Guid.NewGuid().ToString("N");
        _socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
        WriteConfig(string.Empty);
        using var daemon = Daemon.Start(_workspace.Config, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = "@" + name });

        await ReceiveUntilAsync(m => m.Contains("READY=1", StringComparison.Ordinal), []);

        daemon.Signal(Posix.SigTerm);
        Assert.Equal(0, await daemon.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task OnStallExit_LoopStalled_ExitsWithCode3()
    {
        WriteConfig("on_stall: exit");
        using var daemon = Daemon.Start(_workspace.Config);
        await _workspace.Ledger.WaitForRunsAsync(r => r.Any(x => x.State == "succeeded"), "a run of tick", Patience);

        using (LockLedger())
        {
            Assert.Equal(3, await daemon.WaitForExitAsync(Patience));
        }

        Assert.Contains("on_stall: exit: exiting with code 3", daemon.Log, StringComparison.Ordinal);
    }
}
