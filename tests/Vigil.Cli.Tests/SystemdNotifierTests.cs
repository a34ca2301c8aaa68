using Vigil.Cli.Daemon;

namespace Vigil.Cli.Tests;

public sealed class SystemdNotifierTests
{
    [Theory]
    [InlineData("60000000", null, 30_000)]
    [InlineData("1000000", "4242", 500)]
    [InlineData("1000000", "99", null)]
    [InlineData(null, null, null)]
    [InlineData("0", null, null)]
    [InlineData("soon", null, null)]
    public void WatchdogInterval_IsHalfOfWatchdogUsecForThisProcessOnly(string? usec, string? pid, int? expectedMillis)
    {
        var environment = new Dictionary<string, string?> { ["WATCHDOG_USEC"] = usec, ["WATCHDOG_PID"] = pid };

        var interval = SystemdNotifier.WatchdogInterval(n => environment.GetValueOrDefault(n), processId: 4242);

        Assert.Equal(expectedMillis is { } ms ? TimeSpan.FromMilliseconds(ms) : null, interval);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relative/path.sock")]
    public void FromEnvironment_NoUsableSocket_IsNull(string? socket)
    {
        Assert.Null(SystemdNotifier.FromEnvironment(n => n == "NOTIFY_SOCKET" ? socket : null));
    }

    [Fact]
    public void Status_IsOneLine()
    {
        Assert.Equal("STATUS=stalled: planner since 09:00", SystemdNotifier.Status("stalled:\nplanner since 09:00"));
    }
}
