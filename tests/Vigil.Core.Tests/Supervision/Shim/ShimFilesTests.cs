using System.Text;
using Vigil.Supervision;
using Vigil.Supervision.Shim;

namespace Vigil.Core.Tests.Supervision.Shim;

/// <summary>The run supervisor's files and lock, as the daemon and the shim share them.</summary>
public sealed class ShimFilesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private ShimFiles Files()
    {
        var files = ShimFiles.For(_temp.Path, 42);
        Directory.CreateDirectory(files.Directory);
        return files;
    }

    [Fact]
    public void State_WrittenAndRead_RoundTripsEveryField()
    {
        var files = Files();
        var state = new ShimState
        {
            RunId = 42,
            ShimPid = 1234,
            ShimStartTime = 987654321,
            ChildPid = 1240,
            ChildStartTime = 987654400,
            StartedAt = new DateTimeOffset(2026, 11, 22, 6, 0, 0, 123, TimeSpan.Zero),
            ResultFile = files.ResultFile,
            BootId = "b0075",
        };

        DurableFile.Write(files.State, state.ToJson());

        Assert.Equal(state, ShimState.Read(files.State));
        Assert.False(File.Exists(files.State + ".tmp"));
    }

    [Fact]
    public void Exit_WrittenAndRead_KeepsTheOutcomeButNotTheOutput()
    {
        var files = Files();
        var result = new ActionResult { Success = false, Reason = "exit code 3", ExitCode = 3, ResultStatus = "ok", Summary = "s", TokensIn = 1, TokensOut = 2, Output = "not here" };

        DurableFile.Write(files.Exit, new ShimExit { RunId = 42, Result = result, FinishedAt = DateTimeOffset.UnixEpoch }.ToJson());

        var read = ShimExit.Read(files.Exit)!;
        Assert.Equal(result with { Output = string.Empty }, read.Result);
        Assert.Equal(DateTimeOffset.UnixEpoch, read.FinishedAt);
    }

    [Theory]
    [InlineData("""{"format":2,"run_id":42,"success":true,"finished_at":"2026-11-22T06:00:00Z"}""")]
    [InlineData("""{"run_id":42,"success":true,"finished_at":"2026-11-22T06:00:00Z"}""")]
    [InlineData("""{"format":1,"run_id":42,"succ""")]
    [InlineData("")]
    public void Exit_NewerFormatOrTornOrMissingVersion_IsNotAnOutcome(string text)
    {
        var files = Files();
        File.WriteAllText(files.Exit, text);

        Assert.Null(ShimExit.Read(files.Exit));
    }

    /// <summary>
    /// Reads <paramref name="read"/> until it gives <paramref name="expected"/>, for up to 10 s, and
    /// returns the last reading. A lock's release can show a moment late, never early: a child that
    /// another test of this process forks at that moment holds a copy of every descriptor, the
    /// lock's included, until it execs (close-on-exec closes them only then).
    /// </summary>
    private static T Settled<T>(Func<T> read, T expected)
    {
        var deadline = Environment.TickCount64 + 10_000;
        var value = read();
        while (!EqualityComparer<T>.Default.Equals(value, expected) && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(10);
            value = read();
        }

        return value;
    }

    [Fact]
    public async Task Lock_HeldByOneDescriptor_IsSeenHeldUntilClosedAndReleasesAWaiter()
    {
        var files = Files();
        var fd = ShimLock.Acquire(files.Lock, out var errno);
        Assert.True(fd >= 0, $"errno {errno}");
        Assert.NotEqual(ProcessSpawner.SupervisorLockFd, fd);
        Assert.True(ShimLock.IsHeld(files.Lock));
        Assert.True(ShimLock.Acquire(files.Lock, out _) < 0);

        var waiter = Task.Factory.StartNew(() => ShimLock.WaitUntilReleased(files.Lock), TaskCreationOptions.LongRunning);
        Assert.NotSame(waiter, await Task.WhenAny(waiter, Task.Delay(200)));
        Assert.Equal(0, Libc.close(fd));

        await waiter.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(Settled(() => ShimLock.IsHeld(files.Lock), false));
    }

    [Fact]
    public void Inspect_EachStateOfTheRunDirectory_SaysWhatRecoveryMustDo()
    {
        var files = Files();
        Assert.Equal(ShimStatus.None, ShimProcess.Inspect(_temp.Path, 42));

        var fd = ShimLock.Acquire(files.Lock, out _);
        Assert.Equal(ShimStatus.Alive, ShimProcess.Inspect(_temp.Path, 42));
        Libc.close(fd);
        Assert.Equal(ShimStatus.Dead, Settled(() => ShimProcess.Inspect(_temp.Path, 42), ShimStatus.Dead));

        DurableFile.Write(files.State, "{\"format\":1}"u8);
        Assert.Equal(ShimStatus.Dead, ShimProcess.Inspect(_temp.Path, 42));

        DurableFile.Write(files.Exit, new ShimExit { RunId = 42, Result = new ActionResult { Success = true, ExitCode = 0 }, FinishedAt = DateTimeOffset.UnixEpoch }.ToJson());
        Assert.Equal(ShimStatus.Finished, ShimProcess.Inspect(_temp.Path, 42));
    }

    [Fact]
    public void OutputLog_GrowingPastTwiceTheCap_IsCutBackAndReadsAsTheTail()
    {
        var files = Files();
        const int Capacity = 1000;
        using (var log = new OutputLog(files.Output, Capacity))
        {
            for (var i = 0; i < 500; i++)
            {
                log.Append(Encoding.UTF8.GetBytes($"line {i:000}\n"));
            }

            log.Finish();
        }

        Assert.True(new FileInfo(files.Output).Length <= 2 * Capacity);
        var tail = OutputLog.ReadTail(files.Output, Capacity, TimeProvider.System);
        Assert.EndsWith("line 499\n", tail, StringComparison.Ordinal);
        Assert.True(tail.Length <= Capacity);
        Assert.Contains("line 410\n", tail, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadTail_NoFile_IsEmpty()
    {
        Assert.Equal(string.Empty, OutputLog.ReadTail(Files().Output, 100, TimeProvider.System));
    }
}
