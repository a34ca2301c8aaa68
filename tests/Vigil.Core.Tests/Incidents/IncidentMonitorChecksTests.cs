using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Tests.Supervision;
using Vigil.Incidents;
using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Scheduling;
using Vigil.Storage.Sqlite;

namespace Vigil.Core.Tests.Incidents;

/// <summary>
/// The periodic checks on a real ledger with a manual clock and no planner at all: the most stuck
/// planner there is. Past due and silence are read from the ledger, whatever left it that way.
/// </summary>
public sealed class IncidentMonitorChecksTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private TempDirectory _temp = null!;
    private readonly ManualTimeProvider _clock = new(T0);
    private SqliteRunStore _store = null!;
    private IncidentMonitor _monitor = null!;

    public async Task InitializeAsync()
    {
        _temp = new TempDirectory();
        _store = await SqliteRunStore.OpenAsync(_temp.File("ledger.db"), Ct);
        _monitor = new IncidentMonitor(_store, new IncidentOptions(), _clock, NullLogger.Instance, "node-a", () => { });
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _temp.Dispose();

    private void Publish(params MonitoredJob[] jobs) => _monitor.Publish(jobs.ToDictionary(j => j.Name, j => (IMonitoredJob)j, StringComparer.Ordinal));

    private static MonitoredJob Hourly(string name, JobPolicies? policies = null, bool active = true) =>
        new(name, policies ?? JobPolicies.Default, Schedule.Parse("every 1h", TimeZoneInfo.Utc, T0), T0.AddMinutes(-1), active);

    private async Task<IReadOnlyList<IncidentRecord>> IncidentsAsync(IncidentKind kind) =>
        await _store.ListIncidentsAsync(new IncidentQuery { Kind = kind }, Ct);

    [Fact]
    public void PastDueAfter_IsTheLargerOfGraceAndTwoPeriods()
    {
        Assert.Equal(TimeSpan.FromHours(2), Hourly("h").PastDueAfter());
        Assert.Equal(TimeSpan.FromHours(3), Hourly("h", JobPolicies.Default with { Grace = TimeSpan.FromHours(3) }).PastDueAfter());
        var daily = new MonitoredJob("d", JobPolicies.Default, Schedule.Parse("0 22 * * *", TimeZoneInfo.Utc), T0, IsActive: true);
        Assert.Equal(TimeSpan.FromDays(2), daily.PastDueAfter());
    }

    [Fact]
    public async Task CheckAsync_SlotWithoutAnyRowPastTwoPeriods_OpensPastDueOnceThenResolvesWhenItStarts()
    {
        // Hourly, first slot 09:00, past due after 2h: at 10:59:59 it is late, at 11:00 past due.
        Publish(Hourly("heartbeat"), Hourly("paused", active: false));
        _clock.AdvanceTo(T0.AddHours(2).AddSeconds(-1));
        await _monitor.CheckAsync(Ct);
        Assert.Empty(await IncidentsAsync(IncidentKind.PastDue));

        _clock.AdvanceTo(T0.AddHours(2));
        await _monitor.CheckAsync(Ct);
        _clock.AdvanceTo(T0.AddHours(2).AddMinutes(1));
        await _monitor.CheckAsync(Ct);

        var incident = Assert.Single(await IncidentsAsync(IncidentKind.PastDue));
        Assert.Equal("heartbeat", incident.Job);
        Assert.Equal(1, incident.Count);
        Assert.Contains("slot 2026-03-02T09:00:00Z has no run 2h after it was due", incident.Detail, StringComparison.Ordinal);

        // The planner catches up, but the row stays pending (every run slot busy): still past due.
        var id = await _store.InsertRunAsync(new NewRun { Job = "heartbeat", Slot = T0 }, _clock.GetUtcNow(), Ct);
        await _monitor.CheckAsync(Ct);
        Assert.Equal(IncidentState.Open, Assert.Single(await IncidentsAsync(IncidentKind.PastDue)).State);

        var owner = await _store.StartIncarnationAsync("node-a", 1, _clock.GetUtcNow(), TimeSpan.FromHours(1), Ct);
        Assert.Equal(ClaimResult.Claimed, await _store.ClaimAsync(id!.Value, owner, _clock.GetUtcNow(), _clock.GetUtcNow().AddHours(1), Ct));
        await _monitor.CheckAsync(Ct);

        var resolved = Assert.Single(await IncidentsAsync(IncidentKind.PastDue));
        Assert.Equal(IncidentState.Resolved, resolved.State);
        Assert.Equal(2, (await _store.ListDueAlertsAsync(_clock.GetUtcNow(), 10, Ct)).Count);
    }

    [Fact]
    public async Task CheckAsync_NoSuccessForMaxSilence_OpensSilenceAndASuccessResolvesIt()
    {
        var policies = JobPolicies.Default with { Expect = new ExpectPolicy { MaxSilence = TimeSpan.FromHours(26) } };
        Publish(Hourly("nightly", policies));
        var owner = await _store.StartIncarnationAsync("node-a", 1, T0, TimeSpan.FromDays(30), Ct);
        var first = await _store.InsertRunAsync(new NewRun { Job = "nightly", Slot = T0 }, T0, Ct);
        await _store.ClaimAsync(first!.Value, owner, T0, T0.AddHours(1), Ct);
        await _store.FinishAsync(first.Value, owner, new RunOutcome { State = RunState.Succeeded }, T0.AddMinutes(1), Ct);
        await _monitor.ProcessEventsAsync(Ct);

        _clock.AdvanceTo(T0.AddMinutes(1).AddHours(26).AddSeconds(-1));
        await _monitor.CheckAsync(Ct);
        Assert.Empty(await IncidentsAsync(IncidentKind.Silence));
        _clock.AdvanceTo(T0.AddMinutes(1).AddHours(26));
        await _monitor.CheckAsync(Ct);

        var silence = Assert.Single(await IncidentsAsync(IncidentKind.Silence));
        Assert.Equal("no success since 2026-03-02T09:01:00Z (expect.max_silence: 1d2h)", silence.Detail);

        var second = await _store.InsertRunAsync(new NewRun { Job = "nightly", Slot = T0.AddDays(1) }, _clock.GetUtcNow(), Ct);
        await _store.ClaimAsync(second!.Value, owner, _clock.GetUtcNow(), _clock.GetUtcNow().AddHours(1), Ct);
        await _store.FinishAsync(second.Value, owner, new RunOutcome { State = RunState.Succeeded }, _clock.GetUtcNow(), Ct);
        await _monitor.ProcessEventsAsync(Ct);
        await _monitor.CheckAsync(Ct);

        Assert.Equal(IncidentState.Resolved, Assert.Single(await IncidentsAsync(IncidentKind.Silence)).State);
    }

    [Fact]
    public async Task CheckAsync_OpenIncidentPastRemindEvery_QueuesOneReminder()
    {
        var monitor = new IncidentMonitor(_store, new IncidentOptions { RemindEvery = TimeSpan.FromHours(6) }, _clock, NullLogger.Instance, "node-a", () => { });
        await monitor.ReportAsync(new IncidentOccurrence { Job = "nightly", Kind = IncidentKind.Missed, Detail = "slot missed" }, Ct);

        _clock.AdvanceTo(T0.AddHours(6).AddSeconds(-1));
        await monitor.CheckAsync(Ct);
        _clock.AdvanceTo(T0.AddHours(6));
        await monitor.CheckAsync(Ct);
        await monitor.CheckAsync(Ct);

        var notices = await _store.ListDueAlertsAsync(_clock.GetUtcNow(), 10, Ct);
        Assert.Equal([AlertEvent.Opened, AlertEvent.Reminder], notices.Select(n => n.Event));
    }

    private async Task FinishRunAsync(Incarnation owner, string job, DateTimeOffset slot, RunOutcome outcome)
    {
        var id = await _store.InsertRunAsync(new NewRun { Job = job, Slot = slot }, slot, Ct);
        Assert.Equal(ClaimResult.Claimed, await _store.ClaimAsync(id!.Value, owner, slot, slot.AddHours(1), Ct));
        Assert.True(await _store.FinishAsync(id.Value, owner, outcome, slot.AddMinutes(1), Ct));
    }

    [Fact]
    public async Task ProcessEventsAsync_OneBatch_FailuresThenSuccessesThenAFailure_ResolvedByTheFirstSuccessAndOpenedAgain()
    {
        Publish(Hourly("nightly"));
        var owner = await _store.StartIncarnationAsync("node-a", 1, T0, TimeSpan.FromDays(30), Ct);
        var failed = new RunOutcome { State = RunState.Failed, Reason = "exit code 1" };
        var ok = new RunOutcome { State = RunState.Succeeded };
        for (var hour = 0; hour < 3; hour++)
        {
            await FinishRunAsync(owner, "nightly", T0.AddHours(hour), failed);
        }

        await FinishRunAsync(owner, "nightly", T0.AddHours(3), ok);
        await FinishRunAsync(owner, "nightly", T0.AddHours(4), ok);
        for (var hour = 5; hour < 8; hour++)
        {
            await FinishRunAsync(owner, "nightly", T0.AddHours(hour), failed);
        }

        await FinishRunAsync(owner, "nightly", T0.AddHours(8), ok);

        Assert.Equal(9, await _monitor.ProcessEventsAsync(Ct));

        var streaks = await IncidentsAsync(IncidentKind.FailedStreak);
        Assert.Equal(2, streaks.Count);
        Assert.All(streaks, i => Assert.Equal(IncidentState.Resolved, i.State));
        Assert.Equal(["run 4 (slot 2026-03-02T12:00:00Z) succeeded", "run 9 (slot 2026-03-02T17:00:00Z) succeeded"], streaks.Select(i => i.Resolution).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ProcessEventsAsync_OneBatch_EmptyStreakThenAnEmptySuccessThenOneWithTokens_TheLastResolvesIt()
    {
        var policies = JobPolicies.Default with { Expect = new ExpectPolicy { EmptyStreak = 2 } };
        Publish(Hourly("canary", policies));
        var owner = await _store.StartIncarnationAsync("node-a", 1, T0, TimeSpan.FromDays(30), Ct);
        var empty = new RunOutcome { State = RunState.Succeeded, ResultStatus = "empty" };
        for (var hour = 0; hour < 3; hour++)
        {
            await FinishRunAsync(owner, "canary", T0.AddHours(hour), empty);
        }

        await FinishRunAsync(owner, "canary", T0.AddHours(3), new RunOutcome { State = RunState.Succeeded, TokensIn = 10, TokensOut = 20 });

        Assert.Equal(4, await _monitor.ProcessEventsAsync(Ct));

        var incident = Assert.Single(await IncidentsAsync(IncidentKind.EmptyStreak));
        Assert.Equal(IncidentState.Resolved, incident.State);
        Assert.Equal(2, incident.Count);
        Assert.Equal("run 4 (slot 2026-03-02T12:00:00Z) succeeded", incident.Resolution);
    }

    [Fact]
    public async Task CheckAsync_ReadsAJobsLatestSlotOnlyOnceItCouldBePastDue_AndAgainWhileItIs()
    {
        // Hourly jobs created at 08:59, first slot 09:00, past due 2h after a slot without a row.
        var reads = new List<string>();
        var store = Engine.CrashableStore.Wrap(_store, (method, args) =>
        {
            if (method == nameof(IRunStore.GetLastSlotsAsync))
            {
                lock (reads)
                {
                    reads.AddRange((IReadOnlyCollection<string>)args[0]!);
                }
            }

            return null;
        }, out _);
        var monitor = new IncidentMonitor(store, new IncidentOptions(), _clock, NullLogger.Instance, "node-a", () => { });
        monitor.Publish(new[] { Hourly("a"), Hourly("b"), Hourly("c") }.ToDictionary(j => j.Name, j => (IMonitoredJob)j, StringComparer.Ordinal));
        var owner = await _store.StartIncarnationAsync("node-a", 1, T0, TimeSpan.FromDays(30), Ct);

        await monitor.CheckAsync(Ct);
        Assert.Equal(["a", "b", "c"], reads.Order(StringComparer.Ordinal));

        // Before 11:00 none of them can be past due: nothing is read.
        reads.Clear();
        _clock.AdvanceTo(T0.AddHours(2).AddSeconds(-1));
        await monitor.CheckAsync(Ct);
        Assert.Empty(reads);

        // "a" and "b" got their 09:00 and 10:00 rows; "c" got none and is past due at 11:00.
        foreach (var job in new[] { "a", "b" })
        {
            for (var hour = 0; hour < 2; hour++)
            {
                await FinishRunAsync(owner, job, T0.AddHours(hour), new RunOutcome { State = RunState.Succeeded });
            }
        }

        _clock.AdvanceTo(T0.AddHours(2));
        await monitor.CheckAsync(Ct);
        Assert.Equal(["a", "b", "c"], reads.Order(StringComparer.Ordinal));
        Assert.Equal("c", Assert.Single(await IncidentsAsync(IncidentKind.PastDue)).Job);

        // A minute later only the past-due job is read again; "a" and "b" next could be at 13:00.
        reads.Clear();
        _clock.AdvanceTo(T0.AddHours(2).AddMinutes(1));
        await monitor.CheckAsync(Ct);
        Assert.Equal(["c"], reads);

        reads.Clear();
        _clock.AdvanceTo(T0.AddHours(4));
        await monitor.CheckAsync(Ct);
        Assert.Equal(["a", "b", "c"], reads.Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b", "c"], (await IncidentsAsync(IncidentKind.PastDue)).Select(i => i.Job).Order(StringComparer.Ordinal));
    }
}
