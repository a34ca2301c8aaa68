using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Core.Tests.Engine;

/// <summary>
/// Crash point 3 of docs/ledger.md: after downtime the next incarnation plans every slot after the
/// ledger's cursor, runs what <c>catch_up</c> allows and records the rest missed (G1: every slot has a row).
/// </summary>
/// <remarks>
/// Each test runs the 09:00 slot of a 10-minute grid, stops the daemon, and starts it again later:
/// <code>
///   09:00  09:10  09:20  09:30  09:40  09:50  10:00  10:02 / 10:06
///   ran    |------------ daemon down -------------|  restart
/// </code>
/// The grace of a 10-minute grid is half its period: 5 minutes.
/// </remarks>
public sealed class CatchUpTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = EngineHarness.Start;
    private static readonly Schedule Grid = Schedule.Every(TimeSpan.FromMinutes(10), Start);
    private EngineHarness _harness = null!;
    private Func<int> _runs = null!;

    public async Task InitializeAsync()
    {
        _harness = await EngineHarness.CreateAsync();
        _runs = _harness.Ok("report");
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    /// <summary>Runs the 09:00 slot, stops, stays down until <paramref name="restartAt"/>, starts again; returns the restarted engine.</summary>
    private async Task<EngineInstance> RunStopAndRestartAsync(JobPolicies policies, DateTimeOffset restartAt)
    {
        await _harness.AddJobAsync(TestJobs.Handler("report", "every 10m", policies));
        var first = await _harness.StartAsync();
        Assert.Equal(RunState.Succeeded, (await _harness.WaitForEndAsync("report", Start)).State);
        await first.StopAsync();

        _harness.Clock.AdvanceTo(restartAt);
        return await _harness.StartAsync();
    }

    /// <summary>Waits until every slot of the grid up to <paramref name="until"/> has a row that is no longer pending or running.</summary>
    private async Task<Dictionary<DateTimeOffset, RunRecord>> WaitForSettledSlotsAsync(DateTimeOffset until)
    {
        var expected = Occurrences(Start, until);
        Dictionary<DateTimeOffset, RunRecord> bySlot = [];
        await EngineHarness.WaitUntilAsync(
            async () =>
            {
                var runs = await _harness.RunsAsync("report");
                bySlot = runs.Where(r => r.Attempt == 1).ToDictionary(r => r.Slot);
                return expected.All(s => bySlot.TryGetValue(s, out var r) && r.State.IsTerminal());
            },
            () => $"every slot up to {until:O} settled; have {string.Join(", ", bySlot.Values.Select(r => $"{r.Slot:HH:mm} {r.State.Name()}"))}");

        // G1: a row for every slot, and none for a slot the schedule does not have.
        Assert.Equal(expected, bySlot.Keys.Order());
        return bySlot;
    }

    private static List<DateTimeOffset> Occurrences(DateTimeOffset from, DateTimeOffset to)
    {
        var slots = new List<DateTimeOffset>();
        foreach (var slot in Grid.GetOccurrences(from, to.AddTicks(1)))
        {
            slots.Add(slot);
        }

        return slots;
    }

    [Fact]
    public async Task Restart_CatchUpLatestWithinGrace_RunsTheLatestMissedSlotAndRecordsTheOthersMissed()
    {
        await RunStopAndRestartAsync(JobPolicies.Default, Start.AddMinutes(62));

        var slots = await WaitForSettledSlotsAsync(Start.AddMinutes(60));

        var latest = slots[Start.AddMinutes(60)];
        Assert.Equal(RunState.Succeeded, latest.State);
        Assert.Equal(RunTrigger.CatchUp, latest.Trigger);
        foreach (var minutes in new[] { 10, 20, 30, 40, 50 })
        {
            var missed = slots[Start.AddMinutes(minutes)];
            Assert.Equal(RunState.Missed, missed.State);
            Assert.Equal("the daemon was down at the slot; a later slot ran instead (catch_up: latest)", missed.Reason);
        }

        Assert.Equal(2, _runs());
    }

    [Fact]
    public async Task Restart_CatchUpLatestPastGrace_RecordsEveryMissedSlotMissed()
    {
        await RunStopAndRestartAsync(JobPolicies.Default, Start.AddMinutes(66));

        var slots = await WaitForSettledSlotsAsync(Start.AddMinutes(60));

        var latest = slots[Start.AddMinutes(60)];
        Assert.Equal(RunState.Missed, latest.State);
        Assert.Equal("the daemon was down at the slot and came back 6m later, past grace 5m", latest.Reason);
        // No later slot ran: every earlier slot gives its own lateness, none claims a later one ran.
        Assert.Equal(6, slots.Values.Count(r => r.Reason is { } reason && reason.StartsWith("the daemon was down at the slot and came back ", StringComparison.Ordinal) && reason.EndsWith("later, past grace 5m", StringComparison.Ordinal)));
        Assert.DoesNotContain(slots.Values, r => r.Reason is { } reason && reason.Contains("a later slot ran instead", StringComparison.Ordinal));
        Assert.Equal(1, _runs());
    }

    [Fact]
    public async Task Restart_CatchUpAll_RunsEachOfTheNewestMaxCatchUpSlotsOneAfterAnother()
    {
        await RunStopAndRestartAsync(new JobPolicies { CatchUp = CatchUpPolicy.All, MaxCatchUp = 3 }, Start.AddMinutes(62));

        var slots = await WaitForSettledSlotsAsync(Start.AddMinutes(60));

        foreach (var minutes in new[] { 10, 20, 30 })
        {
            var missed = slots[Start.AddMinutes(minutes)];
            Assert.Equal(RunState.Missed, missed.State);
            Assert.Equal("more than max_catch_up (3) slots were due at once", missed.Reason);
        }

        foreach (var minutes in new[] { 40, 50, 60 })
        {
            var caughtUp = slots[Start.AddMinutes(minutes)];
            Assert.Equal(RunTrigger.CatchUp, caughtUp.Trigger);
            Assert.True(caughtUp.State == RunState.Succeeded, $"{minutes}: {caughtUp.State.Name()} {caughtUp.Reason}");
        }

        Assert.Equal(4, _runs());
    }

    [Fact]
    public async Task Restart_CatchUpNone_RecordsEveryDowntimeSlotMissedThenRunsTheNextSlotOnTime()
    {
        await RunStopAndRestartAsync(new JobPolicies { CatchUp = CatchUpPolicy.None }, Start.AddMinutes(62));

        var slots = await WaitForSettledSlotsAsync(Start.AddMinutes(60));
        Assert.All(
            slots.Values.Where(r => r.Slot > Start),
            r => Assert.Equal("the daemon was down at the slot (catch_up: none)", r.Reason));
        Assert.All(slots.Values.Where(r => r.Slot > Start), r => Assert.Equal(RunState.Missed, r.State));

        await _harness.AdvanceToTimerAsync(Start.AddMinutes(70));
        var next = await _harness.WaitForEndAsync("report", Start.AddMinutes(70));
        Assert.Equal(RunState.Succeeded, next.State);
        Assert.Equal(RunTrigger.Schedule, next.Trigger);
        Assert.Equal(Start.AddMinutes(70), next.StartedAt);
        Assert.Equal(2, _runs());
    }

    [Fact]
    public async Task Restart_SlotLeftPendingByACrashedIncarnation_FollowsCatchUpLikeTheOtherDowntimeSlots()
    {
        // One run at a time: at 09:00 "busy" runs and "report" waits, pending, when the process dies.
        // Back at 10:02, the 09:00 "report" slot is a downtime slot like 09:10-09:50: with
        // catch_up: latest only 10:00 runs.
        var busy = _harness.Gate("busy");
        await _harness.AddJobAsync(TestJobs.Handler("busy", "every 10m"));
        await _harness.AddJobAsync(TestJobs.Handler("report", "every 10m"));
        var first = await _harness.StartAsync(o => o with { MaxConcurrentRuns = 1 });
        await busy.NextAsync();
        await _harness.WaitForStateAsync("report", Start, 1, RunState.Pending);
        first.Crash();

        _harness.Clock.AdvanceTo(Start.AddMinutes(62));
        await _harness.StartAsync();
        (await busy.NextAsync()).Succeed();

        var slots = await WaitForSettledSlotsAsync(Start.AddMinutes(60));
        var leftover = slots[Start];
        Assert.Equal(RunState.Missed, leftover.State);
        Assert.Equal("the daemon was down before the slot could start and came back 1h2m later, past grace 5m", leftover.Reason);
        Assert.Equal(RunState.Succeeded, slots[Start.AddMinutes(60)].State);
        Assert.Equal(1, _runs());
    }

    [Fact]
    public async Task Restart_AfterACrashWithSlotsPlanned_PlansOnlyTheSlotsAfterTheLedgersCursor()
    {
        await _harness.AddJobAsync(TestJobs.Handler("report", "every 10m"));
        var first = await _harness.StartAsync();
        await _harness.WaitForEndAsync("report", Start);
        await _harness.AdvanceToTimerAsync(Start.AddMinutes(10));
        await _harness.WaitForEndAsync("report", Start.AddMinutes(10));
        first.Crash();

        _harness.Clock.AdvanceTo(Start.AddMinutes(21));
        await _harness.StartAsync();

        var slots = await WaitForSettledSlotsAsync(Start.AddMinutes(20));
        Assert.Equal(3, slots.Count);
        Assert.Equal(RunTrigger.CatchUp, slots[Start.AddMinutes(20)].Trigger);
        Assert.Equal(RunState.Succeeded, slots[Start.AddMinutes(20)].State);
        Assert.Equal(3, (await _harness.RunsAsync("report")).Count);
        Assert.Equal(3, _runs());
    }
}
