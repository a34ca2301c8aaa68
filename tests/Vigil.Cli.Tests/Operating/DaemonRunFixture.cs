using System.Text.Json;

namespace Vigil.Cli.Tests.Operating;

/// <summary>
/// One real daemon run shared by <see cref="OperatorVerbsWithDaemonTests"/>: the jobs listed before
/// the config was applied, a job that fails every second, a paused job triggered by hand while the
/// daemon runs, then <c>vigil drain --wait</c>.
/// </summary>
public sealed class DaemonRunFixture : IAsyncLifetime
{
    public const string Config = """
        data_dir: ./data
        timezone: UTC
        drain_timeout: 10s
        on_stop: drain    # the verbs below expect every run finished once the daemon stopped
        jobs:
          boom:
            every: 1s
            run: { command: ["sh", "-c", "echo boom; exit 3"] }
            overlap: allow    # on a loaded machine a slot may fall due before the last run ended; its latest run is still a failure
          nightly:
            schedule: "0 22 * * *"
            timezone: Europe/Berlin
            run: { command: ["echo", "hello from nightly"] }
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public VigilHome Home { get; } = new(Config);

    /// <summary><c>jobs list --json</c> before any daemon ran.</summary>
    public JsonElement JobsBeforeApply { get; private set; }

    /// <summary><c>jobs list --json</c> while the daemon ran and <c>nightly</c> was paused.</summary>
    public JsonElement JobsWhilePaused { get; private set; }

    /// <summary>The failed runs of <c>boom</c> seen while the daemon ran (at least two), newest first.</summary>
    public IReadOnlyList<long> FailedRunIds { get; private set; } = [];

    /// <summary>The manual run of the paused <c>nightly</c>, triggered while the daemon ran.</summary>
    public long ManualRunId { get; private set; }

    /// <summary>What <c>vigil drain --wait</c> did.</summary>
    public VigilResult Drain { get; private set; } = new(-1, string.Empty, string.Empty);

    /// <summary>What the daemon did (its exit code and log).</summary>
    public VigilResult Daemon { get; private set; } = new(-1, string.Empty, string.Empty);

    public async Task InitializeAsync()
    {
        JobsBeforeApply = await Home.JsonAsync("jobs", "list");

        await using var daemon = Home.StartDaemon();
        FailedRunIds = await VigilHome.WaitForAsync(
            async () =>
            {
                var failed = await Home.JsonAsync("runs", "list", "--job", "boom", "--state", "failed");
                return failed.GetArrayLength() >= 2 ? failed.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList() : null;
            },
            Patience,
            "two failed runs of boom");

        Assert.Equal(0, (await Home.RunAsync("jobs", "pause", "nightly")).ExitCode);
        JobsWhilePaused = await Home.JsonAsync("jobs", "list");
        ManualRunId = await Home.RunIdAsync("jobs", "trigger", "nightly");
        await VigilHome.WaitForAsync(
            async () =>
            {
                var run = await Home.JsonAsync("runs", "show", ManualRunId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return run.GetProperty("state").GetString() is "pending" or "running" ? null : run.GetProperty("state").GetString();
            },
            Patience,
            "the manual run of nightly to end");

        Drain = await Home.RunAsync("drain", "--wait");
        Daemon = await daemon.WaitForExitAsync(Patience);
        Assert.Equal(0, (await Home.RunAsync("jobs", "resume", "nightly")).ExitCode);
    }

    public Task DisposeAsync()
    {
        Home.Dispose();
        return Task.CompletedTask;
    }
}
