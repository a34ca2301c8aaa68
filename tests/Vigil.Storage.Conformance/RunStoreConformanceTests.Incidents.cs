using Vigil.Incidents;
using Vigil.Ledger;

namespace Vigil.Storage.Conformance;

public abstract partial class RunStoreConformanceTests
{
    private static IncidentOccurrence Occurred(string? job, IncidentKind kind, string detail = "it happened", long? run = null, bool counts = true) =>
        new() { Job = job, Kind = kind, Detail = detail, RunId = run, Node = "node-a", Counts = counts };

    private static IncidentResolution Resolved(string? job, IncidentKind kind, string reason = "healthy again") =>
        new() { Job = job, Kind = kind, Reason = reason };

    private Task<IncidentBatchResult> ApplyAsync(DateTimeOffset now, params IncidentChange[] changes) =>
        Store.ApplyIncidentBatchAsync(new IncidentBatch { Changes = changes }, now, Ct);

    [Fact]
    public async Task ApplyIncidentBatchAsync_FirstOccurrence_OpensIncidentAndQueuesOneOpenedNotice()
    {
        var result = await ApplyAsync(At(10), Occurred("nightly", IncidentKind.TimedOut, "run 7 timed out after 1h", run: 7));

        Assert.True(result.Applied);
        var incident = Assert.Single(result.Opened);
        Assert.Equal("nightly", incident.Job);
        Assert.Equal(IncidentKind.TimedOut, incident.Kind);
        Assert.Equal(IncidentState.Open, incident.State);
        Assert.Equal(1, incident.Count);
        Assert.Equal(At(10), incident.FirstAt);
        Assert.Equal(At(10), incident.LastAt);
        Assert.Equal("run 7 timed out after 1h", incident.Detail);
        Assert.Equal(7, incident.RunId);
        var notice = Assert.Single(await Store.ListDueAlertsAsync(At(10), 10, Ct));
        Assert.Equal(AlertEvent.Opened, notice.Event);
        Assert.Equal(incident.Id, notice.Incident.Id);
    }

    [Fact]
    public async Task ApplyIncidentBatchAsync_RepeatedOccurrence_UpdatesTheOneOpenIncidentWithoutANewNotice()
    {
        var first = Assert.Single((await ApplyAsync(At(10), Occurred("nightly", IncidentKind.TimedOut, "first", run: 7))).Opened);
        var again = await ApplyAsync(At(20), Occurred("nightly", IncidentKind.TimedOut, "second", run: 8));
        await ApplyAsync(At(30), Occurred("nightly", IncidentKind.PastDue, "late", counts: false));
        await ApplyAsync(At(40), Occurred("nightly", IncidentKind.PastDue, "still late", counts: false));

        Assert.Empty(again.Opened);
        var timedOut = await Store.GetIncidentAsync(first.Id, Ct);
        Assert.NotNull(timedOut);
        Assert.Equal(2, timedOut.Count);
        Assert.Equal(At(10), timedOut.FirstAt);
        Assert.Equal(At(20), timedOut.LastAt);
        Assert.Equal("second", timedOut.Detail);
        Assert.Equal(8, timedOut.RunId);
        var pastDue = Assert.Single(await Store.ListIncidentsAsync(new IncidentQuery { Kind = IncidentKind.PastDue }, Ct));
        Assert.Equal(1, pastDue.Count);
        Assert.Equal("late", pastDue.Detail);
        Assert.Equal(2, (await Store.ListDueAlertsAsync(At(50), 10, Ct)).Count);
    }

    [Fact]
    public async Task ApplyIncidentBatchAsync_Resolution_ResolvesQueuesNoticeAndNextOccurrenceOpensANewIncident()
    {
        var first = Assert.Single((await ApplyAsync(At(10), Occurred("nightly", IncidentKind.Missed))).Opened);

        var resolving = await ApplyAsync(At(20), Resolved("nightly", IncidentKind.Missed, "run 9 succeeded"));
        var nothingOpen = await ApplyAsync(At(25), Resolved("nightly", IncidentKind.Missed));
        var second = Assert.Single((await ApplyAsync(At(30), Occurred("nightly", IncidentKind.Missed))).Opened);

        var resolved = Assert.Single(resolving.Resolved);
        Assert.Equal(first.Id, resolved.Id);
        Assert.Equal(IncidentState.Resolved, resolved.State);
        Assert.Equal(At(20), resolved.ResolvedAt);
        Assert.Equal("run 9 succeeded", resolved.Resolution);
        Assert.Empty(nothingOpen.Resolved);
        Assert.NotEqual(first.Id, second.Id);
        var events = (await Store.ListDueAlertsAsync(At(40), 10, Ct)).Select(a => (a.Incident.Id, a.Event));
        Assert.Equal([(first.Id, AlertEvent.Opened), (first.Id, AlertEvent.Resolved), (second.Id, AlertEvent.Opened)], events);
    }

    [Fact]
    public async Task ApplyIncidentBatchAsync_NodeWideKind_HasNoJobAndIsOnePerKind()
    {
        var opened = Assert.Single((await ApplyAsync(At(10), Occurred(null, IncidentKind.CrashLoop, "3 incarnations in 10 minutes"))).Opened);
        await ApplyAsync(At(20), Occurred(null, IncidentKind.CrashLoop, "4 incarnations in 10 minutes"));

        Assert.Null(opened.Job);
        var incident = Assert.Single(await Store.ListIncidentsAsync(new IncidentQuery(), Ct));
        Assert.Equal(2, incident.Count);
        Assert.Equal(1, (await Store.CountUnresolvedIncidentsAsync(Ct))[string.Empty]);
        await Assert.ThrowsAsync<ArgumentException>(() => ApplyAsync(At(30), Occurred("nightly", IncidentKind.CrashLoop)));
        await Assert.ThrowsAsync<ArgumentException>(() => ApplyAsync(At(30), Occurred(null, IncidentKind.Missed)));
    }

    [Fact]
    public async Task AcknowledgeIncidentAsync_Open_AcknowledgesOnceAndStopsReminders()
    {
        var a = Assert.Single((await ApplyAsync(At(0), Occurred("a", IncidentKind.Missed))).Opened);
        var b = Assert.Single((await ApplyAsync(At(0), Occurred("b", IncidentKind.Missed))).Opened);

        Assert.True(await Store.AcknowledgeIncidentAsync(a.Id, At(5), Ct));
        Assert.False(await Store.AcknowledgeIncidentAsync(a.Id, At(6), Ct));
        Assert.False(await Store.AcknowledgeIncidentAsync(99_999, At(6), Ct));
        var reminders = await Store.EnqueueAlertRemindersAsync(TimeSpan.FromHours(1), At(3600), Ct);
        var again = await Store.EnqueueAlertRemindersAsync(TimeSpan.FromHours(1), At(3601), Ct);

        var acknowledged = await Store.GetIncidentAsync(a.Id, Ct);
        Assert.Equal(IncidentState.Acknowledged, acknowledged!.State);
        Assert.Equal(At(5), acknowledged.AcknowledgedAt);
        Assert.Equal(1, reminders);
        Assert.Equal(0, again);
        var reminder = Assert.Single(await Store.ListDueAlertsAsync(At(3601), 10, Ct), n => n.Event == AlertEvent.Reminder);
        Assert.Equal(b.Id, reminder.Incident.Id);

        // An acknowledged incident still counts occurrences and is still resolved when healthy.
        await ApplyAsync(At(10), Occurred("a", IncidentKind.Missed));
        Assert.Equal(2, (await Store.GetIncidentAsync(a.Id, Ct))!.Count);
        Assert.Single((await ApplyAsync(At(11), Resolved("a", IncidentKind.Missed))).Resolved);
    }

    [Fact]
    public async Task ListIncidentsAsync_Filters_ByJobStateAndKindNewestFirst()
    {
        await ApplyAsync(At(0), Occurred("a", IncidentKind.Missed), Occurred("a", IncidentKind.TimedOut), Occurred("b", IncidentKind.Missed));
        await ApplyAsync(At(1), Resolved("a", IncidentKind.Missed));

        var all = await Store.ListIncidentsAsync(new IncidentQuery(), Ct);
        var unresolved = await Store.ListIncidentsAsync(new IncidentQuery { States = [IncidentState.Open, IncidentState.Acknowledged] }, Ct);
        var ofA = await Store.ListIncidentsAsync(new IncidentQuery { Job = "a" }, Ct);
        var missed = await Store.ListIncidentsAsync(new IncidentQuery { Kind = IncidentKind.Missed, Limit = 1 }, Ct);

        Assert.Equal(3, all.Count);
        Assert.True(all[0].Id > all[1].Id && all[1].Id > all[2].Id);
        Assert.Equal(["b", "a"], unresolved.Select(i => i.Job));
        Assert.All(ofA, i => Assert.Equal("a", i.Job));
        Assert.Equal("b", Assert.Single(missed).Job);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 }, await Store.CountUnresolvedIncidentsAsync(Ct));
    }

    [Fact]
    public async Task RunEvents_EveryTerminalTransition_IsQueuedOnceInCommitOrder()
    {
        var owner = await StartAsync();
        var finished = await InsertRunningAsync(owner, "a", Slot(0));
        var pending = await InsertAsync(Run("a", Slot(1)));
        var stillRunning = await InsertRunningAsync(owner, "a", Slot(2));
        var interrupted = await InsertRunningAsync(owner, "b", Slot(0));
        var skipped = await InsertAsync(Run("c", Slot(0)) with { State = RunState.Skipped, Reason = "upstream a failed" });

        Assert.True(await Store.FinishAsync(finished, owner, new RunOutcome { State = RunState.Failed, Reason = "exit code 1" }, At(10), Ct));
        Assert.True(await Store.ResolvePendingAsync(pending, RunState.Missed, "grace passed", At(11), Ct));
        Assert.Equal(1, await Store.InterruptAsync([new Interruption { RunId = interrupted, OwnerIncarnationId = owner.Id, Reason = "drain timed out" }], At(12), Ct));
        Assert.False(await Store.FinishAsync(finished, owner, new RunOutcome { State = RunState.Succeeded }, At(13), Ct));

        var events = await Store.ListRunEventsAsync(100, Ct);

        Assert.Equal([skipped, finished, pending, interrupted], events.Select(e => e.Run.Id));
        Assert.Equal([RunState.Skipped, RunState.Failed, RunState.Missed, RunState.Interrupted], events.Select(e => e.Run.State));
        Assert.DoesNotContain(events, e => e.Run.Id == stillRunning);
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Id < p.Second.Id));
    }

    [Fact]
    public async Task ApplyIncidentBatchAsync_ConsumingEvents_IsAllOrNothingAndOnlyOnce()
    {
        await InsertAsync(Run("a", Slot(0)) with { State = RunState.Missed, Reason = "grace passed" });
        await InsertAsync(Run("a", Slot(1)) with { State = RunState.Missed, Reason = "grace passed" });
        var events = await Store.ListRunEventsAsync(1, Ct);
        var batch = new IncidentBatch
        {
            ConsumeEventsThrough = Assert.Single(events).Id,
            Health = [new JobHealth { Job = "a", FailureStreak = 0, EmptyStreak = 2, LastSuccessAt = At(5) }],
            Changes = [Occurred("a", IncidentKind.Missed, run: events[0].Run.Id)],
        };

        var first = await Store.ApplyIncidentBatchAsync(batch, At(20), Ct);
        var replay = await Store.ApplyIncidentBatchAsync(batch, At(21), Ct);

        Assert.True(first.Applied);
        Assert.False(replay.Applied);
        Assert.Equal(1, Assert.Single(await Store.ListIncidentsAsync(new IncidentQuery(), Ct)).Count);
        var remaining = Assert.Single(await Store.ListRunEventsAsync(10, Ct));
        Assert.Equal(Slot(1), remaining.Run.Slot);
        var health = (await Store.GetJobHealthAsync(["a", "b"], Ct)).Values.Single();
        Assert.Equal(new JobHealth { Job = "a", FailureStreak = 0, EmptyStreak = 2, LastSuccessAt = At(5) }, health);
    }

    [Fact]
    public async Task ApplyIncidentBatchAsync_PauseJobs_PausesInTheSameTransaction()
    {
        await Store.UpsertJobAsync(Job("flaky"), Ct);

        await Store.ApplyIncidentBatchAsync(
            new IncidentBatch
            {
                Changes = [Occurred("flaky", IncidentKind.FailedStreak, "5 failures in a row; job paused (pause_after_failures: 5)")],
                PauseJobs = ["flaky"],
            },
            At(1),
            Ct);

        Assert.True((await Store.GetJobAsync("flaky", Ct))!.Paused);
    }

    [Fact]
    public async Task Outbox_AttemptsWithRetry_StayDueAtTheirInstantUntilDone()
    {
        await ApplyAsync(At(0), Occurred("a", IncidentKind.Missed));
        var notice = Assert.Single(await Store.ListDueAlertsAsync(At(0), 10, Ct));

        Assert.True(await Store.RecordAlertAttemptAsync(new AlertAttempt { AlertId = notice.Id, DeliveredTo = ["log"], RetryAt = At(30), Error = "webhook: HTTP 503" }, At(1), Ct));
        Assert.Empty(await Store.ListDueAlertsAsync(At(29), 10, Ct));
        var retried = Assert.Single(await Store.ListDueAlertsAsync(At(30), 10, Ct));
        Assert.Equal(1, retried.Attempts);
        Assert.Equal(["log"], retried.DeliveredTo);
        Assert.Equal("webhook: HTTP 503", retried.LastError);

        Assert.True(await Store.RecordAlertAttemptAsync(new AlertAttempt { AlertId = notice.Id, DeliveredTo = ["log", "webhook-1"] }, At(31), Ct));
        Assert.False(await Store.RecordAlertAttemptAsync(new AlertAttempt { AlertId = notice.Id, DeliveredTo = ["log"] }, At(32), Ct));
        Assert.Empty(await Store.ListDueAlertsAsync(At(1000), 10, Ct));
    }

    [Fact]
    public async Task Outbox_QueuedNotice_SurvivesReopeningTheStore()
    {
        await ApplyAsync(At(0), Occurred("a", IncidentKind.Interrupted, "process died while running"));

        await ReopenAsync();

        var notice = Assert.Single(await Store.ListDueAlertsAsync(At(0), 10, Ct));
        Assert.Equal(IncidentKind.Interrupted, notice.Incident.Kind);
        Assert.Equal(AlertEvent.Opened, notice.Event);
    }

    [Fact]
    public async Task CheckLedgerAsync_HealthyLedger_NoProblemsAndTheNewestInstant()
    {
        Assert.Null((await Store.CheckLedgerAsync(Ct)).LatestInstant);
        await StartAsync(now: At(5));
        await InsertAsync(Run("a", Slot(0)), now: At(40));

        var check = await Store.CheckLedgerAsync(Ct);

        Assert.Empty(check.Problems);
        Assert.Equal(At(40), check.LatestInstant);
    }
}
