using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Core.Tests.Engine;

/// <summary>What holds a due run back: <c>after:</c> upstreams, <c>max_concurrent_runs</c> and sessions held by the ledger.</summary>
public sealed class GatingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = EngineHarness.Start;
    private EngineHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await EngineHarness.CreateAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    /// <summary>extract runs at :00, load at :30 after extract.</summary>
    private async Task<(GateHandler Extract, Func<int> Loads)> AddPipelineAsync(InterruptPolicy extractOnInterrupt = InterruptPolicy.Retry)
    {
        var extract = _harness.Gate("extract");
        var loads = _harness.Ok("load");
        await _harness.AddJobAsync(TestJobs.Handler("extract", "every 1h", new JobPolicies { OnInterrupt = extractOnInterrupt }));
        await _harness.AddJobAsync(TestJobs.Handler("load", "every 1h", new JobPolicies { After = ["extract"] }) with { Anchor = Start.AddMinutes(30) });
        return (extract, loads);
    }

    [Fact]
    public async Task After_UpstreamFailedThenSucceeded_SkipsWithTheUpstreamStateThenRuns()
    {
        var (extract, loads) = await AddPipelineAsync();
        await _harness.StartAsync();
        (await extract.NextAsync()).Fail("source unreachable");
        Assert.Equal(RunState.Failed, (await _harness.WaitForEndAsync("extract", Start)).State);

        await _harness.AdvanceToTimerAsync(Start.AddMinutes(30));
        var blocked = await _harness.WaitForEndAsync("load", Start.AddMinutes(30));
        Assert.Equal(RunState.Skipped, blocked.State);
        Assert.Equal("upstream extract failed", blocked.Reason);

        await _harness.AdvanceToTimerAsync(Start.AddMinutes(60));
        (await extract.NextAsync()).Succeed();
        await _harness.WaitForEndAsync("extract", Start.AddMinutes(60));
        await _harness.AdvanceToTimerAsync(Start.AddMinutes(90));
        Assert.Equal(RunState.Succeeded, (await _harness.WaitForEndAsync("load", Start.AddMinutes(90))).State);
        Assert.Equal(1, loads());
    }

    [Fact]
    public async Task After_UpstreamInterruptedByACrash_SkipsWithTheUpstreamState()
    {
        var (extract, loads) = await AddPipelineAsync(InterruptPolicy.Record);
        var first = await _harness.StartAsync();
        await extract.NextAsync();
        await _harness.WaitForStateAsync("extract", Start, 1, RunState.Running);
        first.Crash();
        _harness.Clock.AdvanceTo(Start.AddMinutes(1));
        await _harness.StartAsync();

        await _harness.AdvanceToTimerAsync(Start.AddMinutes(30));
        var blocked = await _harness.WaitForEndAsync("load", Start.AddMinutes(30));

        Assert.Equal(RunState.Skipped, blocked.State);
        Assert.Equal("upstream extract interrupted", blocked.Reason);
        Assert.Equal(0, loads());
    }

    [Fact]
    public async Task MaxConcurrentRuns_MoreRunsDueThanAllowed_StartsTheRestAsSlotsFreeUp()
    {
        var gate = _harness.Gate("work");
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            await _harness.AddJobAsync(TestJobs.Handler(name, "every 1h", handler: "work"));
        }

        await _harness.StartAsync(o => o with { MaxConcurrentRuns = 2 });
        var first = await gate.NextAsync();
        var second = await gate.NextAsync();
        var states = await StatesAtStartAsync();
        Assert.Equal(2, states.Count(s => s == RunState.Running));
        Assert.Equal(2, states.Count(s => s == RunState.Pending));

        first.Succeed();
        var third = await gate.NextAsync();
        second.Succeed();
        var fourth = await gate.NextAsync();
        third.Succeed();
        fourth.Succeed();

        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            Assert.Equal(RunState.Succeeded, (await _harness.WaitForEndAsync(name, Start)).State);
        }

        Assert.Equal(2, gate.MaxActive);
    }

    [Fact]
    public async Task Session_TwoJobsSharingOne_NeverRunAtOnce()
    {
        var gate = _harness.Gate("work");
        var policies = new JobPolicies { Session = "main" };
        await _harness.AddJobAsync(TestJobs.Handler("heartbeat", "every 1h", policies, handler: "work"));
        await _harness.AddJobAsync(TestJobs.Handler("digest", "every 1h", policies, handler: "work"));

        await _harness.StartAsync();
        var first = await gate.NextAsync();
        var waiting = first.Context.Job == "heartbeat" ? "digest" : "heartbeat";
        var held = await _harness.WaitForStateAsync(first.Context.Job, Start, 1, RunState.Running);
        Assert.Equal("main", held.Session);
        Assert.Equal("main", first.Context.Session);
        Assert.Equal(RunState.Pending, (await _harness.Ledger.ListAttemptsAsync(waiting, Start, CancellationToken.None))[0].State);

        _harness.Clock.Advance(TimeSpan.FromMinutes(5));
        first.Succeed();
        var second = await gate.NextAsync();
        Assert.Equal(waiting, second.Context.Job);
        second.Succeed();

        var a = await _harness.WaitForEndAsync(first.Context.Job, Start);
        var b = await _harness.WaitForEndAsync(waiting, Start);
        Assert.Equal((RunState.Succeeded, RunState.Succeeded), (a.State, b.State));
        Assert.Equal(Start.AddMinutes(5), a.FinishedAt);
        Assert.True(b.StartedAt >= a.FinishedAt, $"{waiting} started at {b.StartedAt:O}, before {first.Context.Job} finished at {a.FinishedAt:O}");
        Assert.Equal(1, gate.MaxActive);
    }

    private async Task<List<RunState>> StatesAtStartAsync()
    {
        var states = new List<RunState>();
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            var attempts = await _harness.Ledger.ListAttemptsAsync(name, Start, CancellationToken.None);
            states.Add(attempts.Single().State);
        }

        return states;
    }
}
