using Vigil.Incidents;
using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Core.Tests.Incidents;

public sealed class RunIncidentRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static RunRecord Run(RunState state, string? reason = null, string? status = null, long? tokensIn = null, long? tokensOut = null) => new()
    {
        Id = 7,
        Job = "nightly",
        Slot = T0,
        Attempt = 1,
        State = state,
        Reason = reason,
        Trigger = RunTrigger.Schedule,
        CreatedAt = T0,
        FinishedAt = T0.AddMinutes(5),
        ResultStatus = status,
        TokensIn = tokensIn,
        TokensOut = tokensOut,
    };

    private static JobHealth Health(int failures = 0, int empty = 0) => new() { Job = "nightly", FailureStreak = failures, EmptyStreak = empty };

    private static IncidentKind[] Opened(RunVerdict verdict) => [.. verdict.Changes.OfType<IncidentOccurrence>().Select(c => c.Kind)];

    [Theory]
    [InlineData(RunState.TimedOut, "timeout 1h exceeded", IncidentKind.TimedOut)]
    [InlineData(RunState.Interrupted, "process died while running (on_interrupt: record)", IncidentKind.Interrupted)]
    [InlineData(RunState.Interrupted, "process died while running (poison guard: two process deaths in a row during this slot; not retried)", IncidentKind.PoisonSlot)]
    [InlineData(RunState.Missed, "not started within grace 30m", IncidentKind.Missed)]
    [InlineData(RunState.Skipped, "upstream extract interrupted", IncidentKind.UpstreamFailed)]
    public void Apply_FailingOutcome_OpensItsKind(RunState state, string reason, IncidentKind kind)
    {
        var verdict = RunIncidentRules.Apply(Run(state, reason), Health(), JobPolicies.Default);

        Assert.Equal([kind], Opened(verdict));
        var occurrence = verdict.Changes.OfType<IncidentOccurrence>().Single();
        Assert.Equal("nightly", occurrence.Job);
        Assert.Equal(7, occurrence.RunId);
        Assert.Contains(reason, occurrence.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RunState.Skipped, "previous run still active")]
    [InlineData(RunState.Cancelled, "cancelled by the operator")]
    public void Apply_NeutralOutcome_ChangesNothing(RunState state, string reason)
    {
        var verdict = RunIncidentRules.Apply(Run(state, reason), Health(failures: 2, empty: 1), JobPolicies.Default);

        Assert.Empty(verdict.Changes);
        Assert.Equal(2, verdict.Health.FailureStreak);
        Assert.Equal(1, verdict.Health.EmptyStreak);
        Assert.False(verdict.Pause);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(5, true)]
    public void Apply_Failure_OpensFailedStreakFromAlertAfterFailures(int earlierFailures, bool opens)
    {
        var verdict = RunIncidentRules.Apply(Run(RunState.Failed, "exit code 1"), Health(failures: earlierFailures), JobPolicies.Default);

        Assert.Equal(earlierFailures + 1, verdict.Health.FailureStreak);
        Assert.Equal(opens, Opened(verdict).Contains(IncidentKind.FailedStreak));
    }

    [Fact]
    public void Apply_FailureReachingPauseAfterFailures_PausesOnceAndSaysSo()
    {
        var policies = JobPolicies.Default with { AlertAfterFailures = 5, PauseAfterFailures = 2 };

        var atLimit = RunIncidentRules.Apply(Run(RunState.Failed, "exit code 1"), Health(failures: 1), policies);
        var beyond = RunIncidentRules.Apply(Run(RunState.Failed, "exit code 1"), Health(failures: 2), policies);

        Assert.True(atLimit.Pause);
        var detail = atLimit.Changes.OfType<IncidentOccurrence>().Single(c => c.Kind == IncidentKind.FailedStreak).Detail;
        Assert.Contains("job paused (pause_after_failures: 2)", detail, StringComparison.Ordinal);
        Assert.False(beyond.Pause);
    }

    [Fact]
    public void Apply_Success_ResetsStreaksRecordsSuccessAndResolvesEveryRunKind()
    {
        var verdict = RunIncidentRules.Apply(Run(RunState.Succeeded), Health(failures: 4, empty: 3), JobPolicies.Default);

        Assert.Equal(new JobHealth { Job = "nightly", FailureStreak = 0, EmptyStreak = 0, LastSuccessAt = T0.AddMinutes(5) }, verdict.Health);
        Assert.Empty(Opened(verdict));
        var resolved = verdict.Changes.OfType<IncidentResolution>().Select(c => c.Kind).ToHashSet();
        Assert.Superset(
            new HashSet<IncidentKind> { IncidentKind.Interrupted, IncidentKind.TimedOut, IncidentKind.Missed, IncidentKind.FailedStreak, IncidentKind.UpstreamFailed, IncidentKind.Silence, IncidentKind.EmptyStreak, IncidentKind.PoisonSlot },
            resolved);
    }

    [Theory]
    [InlineData("empty", null, null)]
    [InlineData("ok", 0L, 0L)]
    [InlineData(null, 0L, null)]
    public void Apply_EmptyResults_CountTowardEmptyStreakAndOpenAtTheLimit(string? status, long? tokensIn, long? tokensOut)
    {
        var policies = JobPolicies.Default with { Expect = new ExpectPolicy { EmptyStreak = 3 } };

        var second = RunIncidentRules.Apply(Run(RunState.Succeeded, status: status, tokensIn: tokensIn, tokensOut: tokensOut), Health(empty: 1), policies);
        var third = RunIncidentRules.Apply(Run(RunState.Succeeded, status: status, tokensIn: tokensIn, tokensOut: tokensOut), Health(empty: 2), policies);

        Assert.Equal(2, second.Health.EmptyStreak);
        Assert.DoesNotContain(IncidentKind.EmptyStreak, Opened(second));
        Assert.Equal(3, third.Health.EmptyStreak);
        Assert.Contains(IncidentKind.EmptyStreak, Opened(third));
        Assert.DoesNotContain(third.Changes.OfType<IncidentResolution>(), r => r.Kind == IncidentKind.EmptyStreak);
    }

    [Fact]
    public void Apply_NonEmptySuccessWithTokens_IsNotEmpty()
    {
        var policies = JobPolicies.Default with { Expect = new ExpectPolicy { EmptyStreak = 1 } };

        var verdict = RunIncidentRules.Apply(Run(RunState.Succeeded, status: "ok", tokensIn: 1200, tokensOut: 0), Health(empty: 4), policies);

        Assert.Equal(0, verdict.Health.EmptyStreak);
        Assert.Contains(verdict.Changes.OfType<IncidentResolution>(), r => r.Kind == IncidentKind.EmptyStreak);
    }

    [Fact]
    public void Apply_SuccessWithNothingLeftToResolve_UpdatesTheCountersWithoutResolutions()
    {
        var verdict = RunIncidentRules.Apply(Run(RunState.Succeeded), Health(failures: 0, empty: 1), JobPolicies.Default, resolve: false);

        Assert.Empty(verdict.Changes);
        Assert.Equal((0, 0, T0.AddMinutes(5)), (verdict.Health.FailureStreak, verdict.Health.EmptyStreak, verdict.Health.LastSuccessAt));
    }
}
