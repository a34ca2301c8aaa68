using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Planning;

namespace Vigil.Core.Tests.Planning;

/// <summary>
/// Catch-up after downtime. The timeline used below, for an hourly job:
/// <code>
///   slots:   09:00   10:00   11:00   12:00
///   daemon:  ----down-------------|up at 12:10
/// </code>
/// </summary>
public class CatchUpPlannerTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Start = Day.AddHours(12).AddMinutes(10);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(30);

    private static List<DateTimeOffset> Hourly(int from, int to) =>
        [.. Enumerable.Range(from, to - from + 1).Select(h => Day.AddHours(h))];

    private static List<SlotDecision> Decide(List<DateTimeOffset> due, JobPolicies policies, DateTimeOffset now, DateTimeOffset? incarnationStart = null)
    {
        var decisions = new List<SlotDecision>();
        CatchUpPlanner.Decide(due, policies, Grace, now, incarnationStart ?? Start, decisions);
        return decisions;
    }

    [Fact]
    public void Decide_LatestWithinGrace_RunsNewestAndRecordsOthersMissed()
    {
        var decisions = Decide(Hourly(9, 12), new JobPolicies { CatchUp = CatchUpPolicy.Latest }, Start);

        Assert.Equal(4, decisions.Count);
        Assert.All(decisions.Take(3), d => Assert.Equal(RunState.Missed, d.State));
        Assert.Equal(RunState.Pending, decisions[3].State);
        Assert.Equal(RunTrigger.CatchUp, decisions[3].Trigger);
        Assert.Contains("a later slot ran instead", decisions[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_LatestPastGrace_RecordsEverySlotMissed()
    {
        var decisions = Decide(Hourly(9, 11), new JobPolicies { CatchUp = CatchUpPolicy.Latest }, Start);

        Assert.All(decisions, d => Assert.Equal(RunState.Missed, d.State));
        Assert.Equal("the daemon was down at the slot and came back 1h10m later, past grace 30m", decisions[2].Reason);

        // No later slot ran, so the earlier ones must not say one did: each gives its own lateness.
        Assert.Equal("the daemon was down at the slot and came back 3h10m later, past grace 30m", decisions[0].Reason);
        Assert.Equal("the daemon was down at the slot and came back 2h10m later, past grace 30m", decisions[1].Reason);
    }

    [Fact]
    public void Decide_AllBoundedByMaxCatchUp_RunsNewestAndMissesOlder()
    {
        var decisions = Decide(Hourly(0, 12), new JobPolicies { CatchUp = CatchUpPolicy.All, MaxCatchUp = 5 }, Start);

        Assert.Equal(13, decisions.Count);
        Assert.Equal(8, decisions.Count(d => d.State == RunState.Missed));
        Assert.All(decisions.Skip(8), d => Assert.Equal(RunState.Pending, d.State));
        Assert.Equal("more than max_catch_up (5) slots were due at once", decisions[0].Reason);
    }

    [Fact]
    public void Decide_NoneAfterDowntime_RecordsEveryDowntimeSlotMissed()
    {
        var decisions = Decide(Hourly(9, 12), new JobPolicies { CatchUp = CatchUpPolicy.None }, Start);

        Assert.All(decisions, d => Assert.Equal(RunState.Missed, d.State));
        Assert.All(decisions, d => Assert.Equal("the daemon was down at the slot (catch_up: none)", d.Reason));
    }

    [Fact]
    public void Decide_NoneForASlotDueWhileRunning_RunsIt()
    {
        var slot = Start.AddMinutes(50);
        var decisions = Decide([slot], new JobPolicies { CatchUp = CatchUpPolicy.None }, slot.AddMilliseconds(3));

        Assert.Equal(RunState.Pending, Assert.Single(decisions).State);
        Assert.Equal(RunTrigger.Schedule, decisions[0].Trigger);
    }

    [Fact]
    public void Decide_AnyPolicy_GivesEverySlotExactlyOneDecision()
    {
        foreach (var policy in Enum.GetValues<CatchUpPolicy>())
        {
            var due = Hourly(0, 12);
            var decisions = Decide(due, new JobPolicies { CatchUp = policy, MaxCatchUp = 3 }, Start);

            Assert.Equal(due, decisions.Select(d => d.Slot));
        }
    }

    [Theory]
    [InlineData(CatchUpPolicy.Latest, 12, 12, null)]
    [InlineData(CatchUpPolicy.Latest, 11, 12, "the daemon was down before the slot could start and came back 1h10m later, past grace 30m")]
    [InlineData(CatchUpPolicy.All, 9, 12, null)]
    [InlineData(CatchUpPolicy.None, 12, 12, "the daemon was down before the slot could start (catch_up: none)")]
    public void DecideLeftover_SlotLeftPendingByAnEarlierIncarnation_FollowsCatchUp(CatchUpPolicy catchUp, int slotHour, int latestHour, string? expected)
    {
        var reason = CatchUpPlanner.DecideLeftover(Day.AddHours(slotHour), Day.AddHours(latestHour), new JobPolicies { CatchUp = catchUp }, Grace, Start);

        Assert.Equal(expected, reason);
    }

    [Fact]
    public void DecideLeftover_LatestWithinGraceButANewerSlotPlanned_IsMissed()
    {
        var reason = CatchUpPlanner.DecideLeftover(Day.AddHours(12), Day.AddHours(12).AddMinutes(5), JobPolicies.Default, Grace, Start);

        Assert.Equal("the daemon was down before the slot could start; a later slot ran instead (catch_up: latest)", reason);
    }

    [Fact]
    public void LeftoverStartBy_ByPolicy_IsTheLastInstantCatchUpWouldStillRunTheSlot()
    {
        var slot = Day.AddHours(12);

        Assert.Equal(slot + Grace + TimeSpan.FromTicks(1), CatchUpPlanner.LeftoverStartBy(slot, slot, JobPolicies.Default, Grace));
        Assert.Equal(DateTimeOffset.MinValue, CatchUpPlanner.LeftoverStartBy(slot, slot.AddHours(1), JobPolicies.Default, Grace));
        Assert.Equal(DateTimeOffset.MinValue, CatchUpPlanner.LeftoverStartBy(slot, slot, new JobPolicies { CatchUp = CatchUpPolicy.None }, Grace));
        Assert.Null(CatchUpPlanner.LeftoverStartBy(slot, slot.AddHours(1), new JobPolicies { CatchUp = CatchUpPolicy.All }, Grace));
    }
}
