using Vigil.Jobs;
using Vigil.Supervision;

namespace Vigil.Core.Tests.Supervision;

public sealed class HandlerRunnerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly HandlerRegistry _registry = new();

    public void Dispose() => _temp.Dispose();

    private IRunningAction Start(Func<RunContext, CancellationToken, Task<HandlerResult>> handler, TimeProvider? clock = null)
    {
        _registry.Register("work", new DelegateHandler(handler));
        var runner = new HandlerRunner(_registry, clock ?? TimeProvider.System);
        return runner.Start(new HandlerAction { Name = "work" }, TestRuns.Context(_temp.Path, session: "main"));
    }

    [Fact]
    public async Task Completion_HandlerReturnsOk_SucceedsWithItsResultAndOutput()
    {
        RunContext? seen = null;
        using var action = Start(async (context, _) =>
        {
            seen = context;
            await context.Output.WriteLineAsync("working");
            return new HandlerResult { Summary = "3 items", TokensIn = 7, TokensOut = 9 };
        });

        var result = await action.Finish();

        Assert.True(result.Success, result.Reason);
        Assert.Equal("ok", result.ResultStatus);
        Assert.Equal("3 items", result.Summary);
        Assert.Equal(7, result.TokensIn);
        Assert.Equal(9, result.TokensOut);
        Assert.Equal("working" + Environment.NewLine, result.Output);
        Assert.Equal(result.Output, action.OutputTail);
        Assert.Equal("nightly", seen!.Job);
        Assert.Equal(2, seen.Attempt);
        Assert.Equal("main", seen.Session);
    }

    [Fact]
    public async Task Completion_HandlerReturnsEmpty_SucceedsWithEmptyStatus()
    {
        using var action = Start((_, _) => Task.FromResult(new HandlerResult { Status = "empty" }));

        var result = await action.Finish();

        Assert.True(result.Success);
        Assert.Equal("empty", result.ResultStatus);
    }

    [Theory]
    [InlineData("failed", "quota exceeded", "handler reported failed: quota exceeded")]
    [InlineData("failed", null, "handler reported failed")]
    [InlineData("partial", null, "handler returned an unknown status: partial")]
    public async Task Completion_HandlerReportsFailure_Fails(string status, string? summary, string reason)
    {
        using var action = Start((_, _) => Task.FromResult(new HandlerResult { Status = status, Summary = summary }));

        var result = await action.Finish();

        Assert.False(result.Success);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(status, result.ResultStatus);
    }

    [Fact]
    public async Task Completion_HandlerThrows_FailsWithTypeAndMessageOnOneLine()
    {
        using var action = Start(async (_, cancellationToken) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("backend said no\nsecond line");
        });

        var result = await action.Finish();

        Assert.False(result.Success);
        Assert.Equal("InvalidOperationException: backend said no second line", result.Reason);
    }

    [Fact]
    public async Task Completion_HandlerThrowsBeforeReturningATask_Fails()
    {
        using var action = Start((_, _) => throw new ArgumentException("bad input"));

        var result = await action.Finish();

        Assert.Equal("ArgumentException: bad input", result.Reason);
    }

    [Fact]
    public async Task Start_HandlerBlocksBeforeItsFirstAwait_DoesNotBlockTheCaller()
    {
        using var gate = new ManualResetEventSlim();
        using var action = Start((_, cancellationToken) =>
        {
            gate.Wait(TestRuns.Patience, cancellationToken);
            return Task.FromResult(HandlerResult.Ok);
        });

        Assert.False(action.Completion.IsCompleted);
        gate.Set();
        var result = await action.Finish();

        Assert.True(result.Success);
    }

    [Fact]
    public async Task RequestStop_HandlerHonoursTheToken_FailsAsCancelled()
    {
        using var action = Start(async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return HandlerResult.Ok;
        });

        action.RequestStop();
        var result = await action.Finish();

        Assert.False(result.Success);
        Assert.Equal("handler stopped on cancellation", result.Reason);
    }

    [Fact]
    public async Task RequestStopAndKill_HandlerIgnoresTheToken_CompletionStaysIncomplete()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource<HandlerResult>();
        using var action = Start((_, cancellationToken) =>
        {
            cancellationToken.Register(() => cancelled.TrySetResult());
            return never.Task;
        });

        action.RequestStop();
        await cancelled.Task.WaitAsync(TestRuns.Patience);
        action.Kill();

        // The handler saw the cancellation and carried on: nothing can end it, so the supervisor
        // finalizes the run at timeout + kill_grace and abandons the task.
        Assert.False(action.Completion.IsCompleted);
    }

    [Fact]
    public async Task Start_UnknownHandler_Fails()
    {
        var runner = new HandlerRunner(_registry, TimeProvider.System);

        using var action = runner.Start(new HandlerAction { Name = "missing" }, TestRuns.Context(_temp.Path));
        var result = await action.Finish();

        Assert.False(result.Success);
        Assert.Equal("no handler named 'missing' is registered", result.Reason);
    }

    [Fact]
    public async Task LastOutputTicks_AdvancesWhenTheHandlerWrites()
    {
        var clock = new ManualTimeProvider();
        var start = clock.GetUtcNow();
        var write = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var action = Start(async (context, _) =>
        {
            await write.Task;
            await context.Output.WriteAsync("tick");
            return HandlerResult.Ok;
        }, clock);
        Assert.Equal(start.UtcTicks, action.LastOutputTicks);

        clock.Advance(TimeSpan.FromSeconds(90));
        write.SetResult();
        await action.Finish();

        Assert.Equal(start.AddSeconds(90).UtcTicks, action.LastOutputTicks);
    }

    [Fact]
    public void Register_SameNameTwice_Throws()
    {
        var handler = new DelegateHandler((_, _) => Task.FromResult(HandlerResult.Ok));
        _registry.Register("a", handler);

        Assert.Throws<InvalidOperationException>(() => _registry.Register("a", handler));
        Assert.Equal(["a"], _registry.Names);
    }
}
