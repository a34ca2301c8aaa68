using System.Text.Json;
using Vigil.Core.Tests.Supervision;

namespace Vigil.EndToEnd.Tests;

/// <summary>
/// G5 through the real binary: failures become incidents in the ledger and notices at an HTTP
/// listener on loopback, including across a kill -9 of the daemon.
/// </summary>
public sealed class IncidentTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private readonly Workspace _workspace = new();

    public void Dispose()
    {
        foreach (var pid in _workspace.LoggedPids(field: 1))
        {
            if (Posix.IsRunningIn(pid, _workspace.Directory))
            {
                Posix.Signal(pid, Posix.SigKill);
            }
        }

        _workspace.Dispose();
    }

    /// <summary>The notices a listener received, as (event, kind, job).</summary>
    private static List<(string Event, string Kind, string? Job)> Notices(LoopbackServer listener) =>
        [.. listener.Requests.Where(r => r.Method == "POST").Select(r =>
        {
            using var body = JsonDocument.Parse(r.Body);
            var incident = body.RootElement.GetProperty("incident");
            return (body.RootElement.GetProperty("event").GetString()!, incident.GetProperty("kind").GetString()!, incident.GetProperty("job").GetString());
        })];

    private static async Task WaitForNoticeAsync(LoopbackServer listener, string @event, string kind, string job)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(Patience.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!Notices(listener).Contains((@event, kind, job)))
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"no {@event} notice for {kind} of {job}; got: {string.Join(", ", Notices(listener))}");
            }

            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Wedge_ActionHangsForever_TimedOutRunIncidentAndAlertWithinTimeoutPlusKillGrace_AndTheNextSlotRuns()
    {
        // The 35-hour wedge in miniature: an "hourly" heartbeat every 3s whose first run hangs; a
        // second one hangs without ever writing a byte and is caught by idle_timeout first.
        _workspace.Write("hang.sh", """
            if [ -e "hung-$1" ]; then echo "beat"; exit 0; fi
            : > "hung-$1"
            echo "$VIGIL_SLOT $$" >> effects.log
            if [ "$1" = loud ]; then echo "thinking"; fi
            exec sleep 600
            """);
        await using var listener = new LoopbackServer(200, "ok");
        _workspace.Write("vigil.yaml", $$"""
            data_dir: ./data
            node: e2e
            timezone: UTC
            drain_timeout: 1s
            alerts:
              - webhook: {{listener.Url("/alerts")}}
            jobs:
              heartbeat:
                every: 3s
                timeout: 1s
                kill_grace: 1s
                run: { command: ["sh", "./hang.sh", "loud"] }
              canary:
                every: 3s
                timeout: 30s
                idle_timeout: 1s
                kill_grace: 1s
                run: { command: ["sh", "./hang.sh", "quiet"] }
            """);
        using var daemon = Daemon.Start(_workspace.Config);

        var runs = await _workspace.Ledger.WaitForRunsAsync(
            r => new[] { "heartbeat", "canary" }.All(j => r.Any(x => x.Job == j && x.State == "timed_out") && r.Any(x => x.Job == j && x.State == "succeeded")),
            "a timed-out run and a later success of each job",
            Patience);
        foreach (var job in new[] { "heartbeat", "canary" })
        {
            var hung = runs.First(r => r.Job == job && r.State == "timed_out");
            var took = hung.FinishedAt!.Value - hung.StartedAt!.Value;
            Assert.True(took <= TimeSpan.FromSeconds(2) + Tick, $"{job}: recorded {took.TotalMilliseconds} ms after its start, later than limit + kill_grace + one tick");
            var next = runs.First(r => r.Job == job && r.State == "succeeded");
            Assert.True(next.Slot > hung.Slot);
            Assert.True(next.StartedAt - next.Slot <= Tick, $"{job}: the next slot started late");
        }

        Assert.Equal("timeout 1s exceeded", runs.First(r => r.Job == "heartbeat" && r.State == "timed_out").Reason);
        Assert.Equal("no output for 1s (idle_timeout)", runs.First(r => r.Job == "canary" && r.State == "timed_out").Reason);

        var incidents = await _workspace.Ledger.WaitForIncidentsAsync(
            i => i.Count(x => x.Kind == "timed_out" && x.State == "resolved") == 2,
            "both timed_out incidents opened and resolved by the next success",
            Patience);
        Assert.Contains(incidents, i => i.Job == "heartbeat" && i.Detail.Contains("timed out: timeout 1s exceeded", StringComparison.Ordinal));
        await WaitForNoticeAsync(listener, "opened", "timed_out", "heartbeat");
        await WaitForNoticeAsync(listener, "opened", "timed_out", "canary");
        await WaitForNoticeAsync(listener, "resolved", "timed_out", "heartbeat");

        daemon.Signal(Posix.SigTerm);
        Assert.Equal(0, await daemon.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task NightThatLookedHealthy_UpstreamKilledByARestart_DownstreamSkippedBothIncidentsOpenListenerGotThem()
    {
        // extract runs at :00 :20 :40 of every minute, integrate 10 s after it. The first extract
        // hangs; a restart kills it: extract drains on stop (on_stop: drain), the drain times out,
        // so the run is interrupted, and on_interrupt: record keeps it so. (Under the default
        // on_stop: detach a restart would not kill it: the next daemon adopts it.) Later extracts
        // fail, so nothing resolves the interrupted incident.
        _workspace.Write("extract.sh", """
            if [ -e extract-started ]; then echo "no input"; exit 1; fi
            : > extract-started
            echo "$VIGIL_SLOT $$" >> effects.log
            exec sleep 600
            """);
        await using var listener = new LoopbackServer(200, "ok");
        _workspace.Write("vigil.yaml", $$"""
            data_dir: ./data
            node: e2e
            timezone: UTC
            drain_timeout: 1s
            alerts:
              - webhook: {{listener.Url("/alerts")}}
            jobs:
              extract:
                every: 20s
                anchor: 2026-01-01T00:00:00Z
                on_interrupt: record
                on_stop: drain
                run: { command: ["sh", "./extract.sh"] }
              integrate:
                every: 20s
                anchor: 2026-01-01T00:00:10Z
                after: [extract]
                run: { command: ["sh", "-c", "echo integrated"] }
            """);
        using (var first = Daemon.Start(_workspace.Config))
        {
            await _workspace.Ledger.WaitForRunsAsync(r => r.Any(x => x.Job == "extract" && x.State == "running"), "extract running", Patience);
            await Until.TrueAsync(() => File.Exists(_workspace.File("extract-started")), "extract's command started", Patience);
            first.Signal(Posix.SigTerm);
            Assert.Equal(0, await first.WaitForExitAsync(Patience));
        }

        using var second = Daemon.Start(_workspace.Config);
        var runs = await _workspace.Ledger.WaitForRunsAsync(
            r => r.Any(x => x.Job == "integrate" && x.State == "skipped" && x.Reason == "upstream extract interrupted"),
            "integrate skipped because extract was interrupted",
            Patience);
        var interrupted = Assert.Single(runs, r => r.Job == "extract" && r.State == "interrupted");
        Assert.Equal("drain timed out (on_interrupt: record)", interrupted.Reason);

        var incidents = await _workspace.Ledger.WaitForIncidentsAsync(
            i => i.Any(x => x.Job == "extract" && x.Kind == "interrupted" && x.State == "open")
                && i.Any(x => x.Job == "integrate" && x.Kind == "upstream_failed" && x.State == "open" && x.Detail.Contains("upstream extract interrupted", StringComparison.Ordinal)),
            "the interrupted and upstream_failed incidents open",
            Patience);
        Assert.Contains("drain timed out", incidents.Single(i => i.Kind == "interrupted").Detail, StringComparison.Ordinal);
        await WaitForNoticeAsync(listener, "opened", "interrupted", "extract");
        await WaitForNoticeAsync(listener, "opened", "upstream_failed", "integrate");

        second.Signal(Posix.SigTerm);
        Assert.Equal(0, await second.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task Outbox_DaemonKilledWithAnAlertUndelivered_DeliversItAfterTheRestart()
    {
        var accepting = 0;
        await using var listener = new LoopbackServer((_, _) => Task.FromResult(Volatile.Read(ref accepting) == 1 ? (200, "ok") : (503, "down")));
        _workspace.Write("vigil.yaml", $$"""
            data_dir: ./data
            node: e2e
            timezone: UTC
            alerts:
              - webhook: {{listener.Url("/alerts")}}
                format: slack
            jobs:
              broken:
                every: 2s
                alert_after_failures: 1
                run: { command: ["sh", "-c", "exit 7"] }
            """);
        using (var first = Daemon.Start(_workspace.Config))
        {
            await WaitUntilAsync(() => _workspace.Ledger.Outbox().Any(o => o.Attempts >= 1 && !o.Delivered), "a notice tried and not delivered");
            Posix.Signal(first.Pid, Posix.SigKill);
            await first.WaitForExitAsync(Patience);
        }

        var undelivered = _workspace.Ledger.Outbox().Single(o => o.Event == "opened");
        Assert.False(undelivered.Delivered);
        Assert.Contains("HTTP 503", undelivered.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("/alerts", undelivered.LastError, StringComparison.Ordinal);
        var tried = listener.Requests.Count;
        Volatile.Write(ref accepting, 1);

        using var second = Daemon.Start(_workspace.Config);
        await WaitUntilAsync(() => _workspace.Ledger.Outbox().Single(o => o.Id == undelivered.Id).Delivered, "the notice delivered after the restart");
        var delivered = listener.Requests.Skip(tried).First();
        using var body = JsonDocument.Parse(delivered.Body);
        Assert.StartsWith("[vigil] OPENED failed_streak broken", body.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Single(_workspace.Ledger.Incidents(), i => i.Kind == "failed_streak");

        second.Signal(Posix.SigTerm);
        Assert.Equal(0, await second.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task Reload_WebhookUrlFixed_UndeliveredNoticeGoesToTheNewUrlWithoutARestart()
    {
        await using var broken = new LoopbackServer((_, _) => Task.FromResult((503, "down")));
        await using var working = new LoopbackServer((_, _) => Task.FromResult((200, "ok")));
        void WriteConfig(LoopbackServer listener) => _workspace.Write("vigil.yaml", $$"""
            data_dir: ./data
            node: e2e
            timezone: UTC
            alerts:
              - webhook: {{listener.Url("/alerts")}}
            jobs:
              broken:
                every: 1h
                alert_after_failures: 1
                run: { command: ["sh", "-c", "exit 7"] }
            """);
        WriteConfig(broken);
        using var daemon = Daemon.Start(_workspace.Config);
        await daemon.WaitForLogAsync("Recovery done", Patience);
        var (exit, output) = await Daemon.RunCommandAsync(_workspace.Config, Patience, "jobs", "trigger", "broken");
        Assert.True(exit == 0, output);
        await WaitUntilAsync(() => _workspace.Ledger.Outbox().Any(o => o.Attempts >= 1 && !o.Delivered), "a notice tried and not delivered");

        WriteConfig(working);
        daemon.Signal(Posix.SigHup);
        await WaitUntilAsync(() => _workspace.Ledger.Outbox().Single(o => o.Event == "opened").Delivered, "the notice delivered to the new URL");

        var notice = Assert.Single(working.Requests);
        using var body = JsonDocument.Parse(notice.Body);
        Assert.Equal("failed_streak", body.RootElement.GetProperty("incident").GetProperty("kind").GetString());
        Assert.False(daemon.HasExited);
        daemon.Signal(Posix.SigTerm);
        Assert.Equal(0, await daemon.WaitForExitAsync(Patience));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(Patience.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!Try(condition))
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"waited {Patience.TotalSeconds}s for {what}");
            }

            await Task.Delay(20);
        }
    }

    private static bool Try(Func<bool> condition)
    {
        try
        {
            return condition();
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return false;
        }
    }
}
