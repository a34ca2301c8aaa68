using FsCheck;
using FsCheck.Fluent;
using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Planning;
using Vigil.Scheduling;

namespace Vigil.Core.Tests.Planning;

public class RetryDeciderTests
{
    private static readonly DateTimeOffset Slot = new(2026, 11, 22, 22, 0, 0, TimeSpan.Zero);
    private static readonly Schedule Daily = Schedule.Parse("0 22 * * *", TimeZoneInfo.Utc);

    private static RunRecord Attempt(int attempt, RunState state = RunState.Running, string? reason = null) => new()
    {
        Id = attempt,
        Job = "nightly",
        Slot = Slot,
        Attempt = attempt,
        State = state,
        Reason = reason,
        Trigger = attempt == 1 ? RunTrigger.Schedule : RunTrigger.Retry,
        CreatedAt = Slot,
    };

    [Fact]
    public void Decide_InterruptedWithRetryPolicy_RetriesAfterBackoff()
    {
        var now = Slot.AddMinutes(10);
        var decision = RetryDecider.Decide(Attempt(1), RunState.Interrupted, RetryDecider.ProcessDied, JobPolicies.Default, Daily, [], now);

        Assert.True(decision.Retry);
        Assert.Equal(now.AddSeconds(30), decision.At);
        Assert.Equal("process died while running", decision.Reason);
    }

    [Fact]
    public void Decide_OnInterruptRecord_NeverRetries()
    {
        var policies = new JobPolicies { OnInterrupt = InterruptPolicy.Record };
        var decision = RetryDecider.Decide(Attempt(1), RunState.Interrupted, RetryDecider.ProcessDied, policies, Daily, [], Slot);

        Assert.False(decision.Retry);
        Assert.Equal("process died while running (on_interrupt: record)", decision.Reason);
    }

    [Fact]
    public void Decide_SecondProcessDeathInARow_TripsThePoisonGuard()
    {
        var earlier = new[] { Attempt(1, RunState.Interrupted, RetryDecider.ProcessDied), Attempt(2) };
        var policies = new JobPolicies { Retry = new RetryPolicy { MaxAttempts = 5 } };

        var decision = RetryDecider.Decide(Attempt(2), RunState.Interrupted, RetryDecider.ProcessDied, policies, Daily, earlier, Slot.AddMinutes(1));

        Assert.False(decision.Retry);
        Assert.True(decision.Poisoned);
        Assert.Contains("poison guard", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_DrainTimedOutAfterAProcessDeath_IsNotPoison()
    {
        var earlier = new[] { Attempt(1, RunState.Interrupted, RetryDecider.ProcessDied), Attempt(2) };

        var decision = RetryDecider.Decide(Attempt(2), RunState.Interrupted, RetryDecider.DrainTimedOut, JobPolicies.Default, Daily, earlier, Slot.AddMinutes(1));

        Assert.True(decision.Retry);
    }

    [Fact]
    public void Decide_LastAttempt_DoesNotRetry()
    {
        var decision = RetryDecider.Decide(Attempt(3), RunState.Interrupted, RetryDecider.KilledDuringDrain, JobPolicies.Default, Daily, [], Slot);

        Assert.False(decision.Retry);
        Assert.Equal("killed during drain (attempt 3 of 3; no attempts left)", decision.Reason);
    }

    [Fact]
    public void Decide_BackoffPastTheNextSlot_ClosesTheWindow()
    {
        var hourly = Schedule.Parse("0 * * * *", TimeZoneInfo.Utc);
        var policies = new JobPolicies { Retry = new RetryPolicy { Backoff = TimeSpan.FromMinutes(30) } };

        var decision = RetryDecider.Decide(Attempt(1), RunState.Interrupted, RetryDecider.ProcessDied, policies, hourly, [], Slot.AddMinutes(40));

        Assert.False(decision.Retry);
        Assert.EndsWith("(retry window closed)", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_FailedWithDefaultRetryOn_DoesNotRetry()
    {
        var decision = RetryDecider.Decide(Attempt(1), RunState.Failed, "exit code 1", JobPolicies.Default, Daily, [], Slot);

        Assert.False(decision.Retry);
        Assert.Equal("exit code 1", decision.Reason);
    }

    [Fact]
    public void Decide_FailedWhenRetryOnIncludesFailed_Retries()
    {
        var policies = new JobPolicies { Retry = new RetryPolicy { On = [RunState.Interrupted, RunState.Failed] } };

        Assert.True(RetryDecider.Decide(Attempt(1), RunState.Failed, "exit code 1", policies, Daily, [], Slot).Retry);
    }

    [Fact]
    public void DelayBefore_AnyAttempt_DoublesAndNeverShrinks()
    {
        var property = Prop.ForAll(
            Gen.Choose(1, 3600).ToArbitrary(),
            Gen.Choose(2, 60).ToArbitrary(),
            (int seconds, int attempt) =>
            {
                var retry = new RetryPolicy { Backoff = TimeSpan.FromSeconds(seconds) };
                var delay = retry.DelayBefore(attempt);
                var next = retry.DelayBefore(attempt + 1);
                return delay >= retry.Backoff
                    && next >= delay
                    && (attempt - 1 >= 31 || delay.Ticks >= TimeSpan.MaxValue.Ticks / 2 || next == delay * 2);
            });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }

    [Fact]
    public void WindowEnd_NextSlotBeforeSlotPlusWindow_IsTheNextSlot()
    {
        var end = RetryDecider.WindowEnd(Slot, manual: false, new RetryPolicy { Window = TimeSpan.FromDays(2) }, Daily);

        Assert.Equal(Slot.AddDays(1), end);
    }

    [Fact]
    public void WindowEnd_ManualRunOrWindowFirst_IsSlotPlusWindow()
    {
        var retry = new RetryPolicy { Window = TimeSpan.FromDays(2) };

        Assert.Equal(Slot.AddDays(2), RetryDecider.WindowEnd(Slot, manual: true, retry, Daily));
        Assert.Equal(Slot.AddHours(6), RetryDecider.WindowEnd(Slot, manual: false, new RetryPolicy(), Daily));
    }
}
