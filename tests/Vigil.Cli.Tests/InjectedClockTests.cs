using System.Text;

namespace Vigil.Cli.Tests;

/// <summary>
/// In process, because "now" is the one input a child process cannot be given: the entry point hands
/// <see cref="TimeProvider.System"/> to <see cref="VigilCli"/>, and these tests hand it a fixed clock.
/// </summary>
public class InjectedClockTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_WithoutFrom_ListsFiresAfterTheInjectedNow()
    {
        var (exitCode, stdout, _) = Run("schedule", "next", "0 9 * * *", "--tz", "UTC", "-n", "1", "--json");

        Assert.Equal(0, exitCode);
        Assert.Equal("""{"expr":"0 9 * * *","compiled":"0 9 * * *","timezone":"UTC","next":["2026-01-02T09:00:00Z"]}""" + "\n", stdout);
    }

    [Fact]
    public void Explain_WithoutFrom_StartsAtTheInjectedNow()
    {
        var (exitCode, stdout, _) = Run("schedule", "explain", "@hourly", "--tz", "UTC");

        Assert.Equal(0, exitCode);
        Assert.Contains("next fires after 2026-01-01T09:00:00Z", stdout, StringComparison.Ordinal);
        Assert.Contains("  Thu 2026-01-01T10:00:00+00:00  2026-01-01T10:00:00Z", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Next_NoTzAndNoTzVariable_UsesTheHostZone()
    {
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

        var (_, stdout, _) = Run(tokyo, "schedule", "next", "@daily", "-n", "1", "--json");

        Assert.Contains("\"timezone\":\"Asia/Tokyo\"", stdout, StringComparison.Ordinal);
        Assert.Contains("\"next\":[\"2026-01-01T15:00:00Z\"]", stdout, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => Run(TimeZoneInfo.Utc, args);

    private static (int ExitCode, string Stdout, string Stderr) Run(TimeZoneInfo hostZone, params string[] args)
    {
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var context = new CliContext(new FixedClock(Now), Stream.Null, output, error, _ => null, hostZone);

        var exitCode = VigilCli.Run(args, context);

        return (exitCode, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
