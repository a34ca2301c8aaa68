using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Core.Tests.Engine;

/// <summary>
/// Crash point 6 of docs/ledger.md and the <c>retry</c> bounds: a failed attempt and its retry are
/// one write; backoff doubles; no attempt starts after the window or at the job's next slot.
/// </summary>
public sealed class RetryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = EngineHarness.Start;
    private EngineHarness _harness = null!;
    private GateHandler _gate = null!;

    public async Task InitializeAsync()
    {
        _harness = await EngineHarness.CreateAsync();
        _gate = _harness.Gate("flaky");
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static JobPolicies RetryFailures(TimeSpan backoff, int maxAttempts = 3, TimeSpan? window = null) => new()
    {
        Retry = new RetryPolicy { On = [RunState.Interrupted, RunState.Failed], Backoff = backoff, MaxAttempts = maxAttempts, Window = window ?? TimeSpan.FromHours(6) },
    };

    /// <summary>Waits for <paramref name="attempt"/> to start and fails it at the current instant.</summary>
    private async Task<RunRecord> FailAttemptAsync(int attempt)
    {
        var run = await _gate.NextAsync();
        Assert.Equal(attempt, run.Context.Attempt);
        run.Fail("boom");
        return await _harness.WaitForEndAsync("flaky", Start, attempt);
    }

    [Fact]
    public async Task Finish_FailedWithFailedInRetryOn_RetriesWithDoublingBackoffUntilMaxAttempts()
    {
        await _harness.AddJobAsync(TestJobs.Handler("flaky", "every 1d", RetryFailures(TimeSpan.FromMinutes(1))));
        await _harness.StartAsync();

        var first = await FailAttemptAsync(1);
        var second = (await _harness.Ledger.ListAttemptsAsync("flaky", Start, CancellationToken.None))[1];
        Assert.Equal("handler reported failed: boom", first.Reason);
        Assert.Equal((RunState.Pending, RunTrigger.Retry, false), (second.State, second.Trigger, second.Resumed));
        Assert.Equal(Start.AddMinutes(1), second.NotBefore);

        await _harness.AdvanceToTimerAsync(Start.AddMinutes(1));
        await _harness.WaitForStateAsync("flaky", Start, 2, RunState.Running);
        _harness.Clock.Advance(TimeSpan.FromSeconds(30));
        await FailAttemptAsync(2);
        var third = await _harness.WaitForStateAsync("flaky", Start, 3, RunState.Pending);
        Assert.Equal(Start.AddMinutes(1.5 + 2), third.NotBefore);

        await _harness.AdvanceToTimerAsync(Start.AddMinutes(3.5));
        var last = await FailAttemptAsync(3);
        Assert.Equal(Start.AddMinutes(3.5), last.StartedAt);
        Assert.Equal("handler reported failed: boom (attempt 3 of 3; no attempts left)", last.Reason);
        Assert.Equal(3, (await _harness.RunsAsync("flaky")).Count);
    }

    [Fact]
    public async Task Finish_NextAttemptWouldStartAfterTheWindow_IsNotRetried()
    {
        await _harness.AddJobAsync(TestJobs.Handler("flaky", "every 1d", RetryFailures(TimeSpan.FromMinutes(1), maxAttempts: 5, window: TimeSpan.FromMinutes(2))));
        await _harness.StartAsync();
        await FailAttemptAsync(1);
        await _harness.AdvanceToTimerAsync(Start.AddMinutes(1));

        var second = await FailAttemptAsync(2);

        Assert.Equal("handler reported failed: boom (retry window closed)", second.Reason);
        Assert.Equal(2, (await _harness.RunsAsync("flaky")).Count);
    }

    [Fact]
    public async Task Finish_NextAttemptWouldStartAtTheNextSlot_IsNotRetried()
    {
        await _harness.AddJobAsync(TestJobs.Handler("flaky", "every 5m", RetryFailures(TimeSpan.FromMinutes(3), maxAttempts: 5)));
        await _harness.StartAsync();
        await FailAttemptAsync(1);
        await _harness.AdvanceToTimerAsync(Start.AddMinutes(3));

        var second = await FailAttemptAsync(2);

        Assert.Equal("handler reported failed: boom (retry window closed)", second.Reason);
        Assert.Equal(2, (await _harness.Ledger.ListAttemptsAsync("flaky", Start, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Claim_RetryWindowClosesWhileTheEngineIsGatingIt_IsNotStarted()
    {
        // Attempt 2 is due at 09:04 and must start before the next slot, 09:05. The engine checks it
        // at 09:04, but by the time it claims, the clock says 09:05:01 (the checks waited on the ledger).
        await _harness.AddJobAsync(TestJobs.Handler("flaky", "every 5m", RetryFailures(TimeSpan.FromMinutes(4))));
        var moved = 0;
        await _harness.StartAsync(fault: (method, _) =>
        {
            if (method == nameof(IRunStore.ListAttemptsAsync) && _harness.Clock.GetUtcNow() >= Start.AddMinutes(4) && Interlocked.Exchange(ref moved, 1) == 0)
            {
                _harness.Clock.AdvanceTo(Start.AddMinutes(5).AddSeconds(1));
            }

            return null;
        });
        await FailAttemptAsync(1);

        await _harness.AdvanceToTimerAsync(Start.AddMinutes(4));
        var stale = await _harness.WaitForEndAsync("flaky", Start, attempt: 2);

        Assert.Equal(RunState.Missed, stale.State);
        Assert.Null(stale.StartedAt);
        Assert.Equal("retry window closed before the attempt could start", stale.Reason);
        var next = await _gate.NextAsync();
        Assert.Equal((Start.AddMinutes(5), 1), (next.Context.Slot, next.Context.Attempt));
        next.Succeed();
    }

    [Fact]
    public async Task Restart_PendingRetryWhoseWindowClosedWhileDown_IsNotStarted()
    {
        // 09:00 attempt 1 fails, attempt 2 due 09:01; the daemon stops at 09:00:30 and is back at
        // 09:06, after the next slot (09:05): attempt 2 may no longer start.
        await _harness.AddJobAsync(TestJobs.Handler("flaky", "every 5m", RetryFailures(TimeSpan.FromMinutes(1))));
        var first = await _harness.StartAsync();
        await FailAttemptAsync(1);
        _harness.Clock.Advance(TimeSpan.FromSeconds(30));
        await first.StopAsync();

        _harness.Clock.AdvanceTo(Start.AddMinutes(6));
        await _harness.StartAsync();
        var next = await _gate.NextAsync();
        next.Succeed();

        Assert.Equal((Start.AddMinutes(5), 1), (next.Context.Slot, next.Context.Attempt));
        var stale = await _harness.WaitForEndAsync("flaky", Start, attempt: 2);
        Assert.Equal(RunState.Missed, stale.State);
        Assert.Null(stale.StartedAt);
        Assert.StartsWith("retry window closed before the attempt could start", stale.Reason, StringComparison.Ordinal);
        Assert.Equal(2, _gate.Started.Count);
    }
}
