using System.Text.Json;

namespace Vigil.Api.Tests;

/// <summary>
/// One real daemon shared by <see cref="ApiEndpointTests"/>, without a token on loopback: a job that
/// fails every second (its output holds a &lt;script&gt; tag) and a nightly job. Ready once boom has
/// failed three times (so its failed-streak incident is open).
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string Config = """
        data_dir: ./data
        timezone: UTC
        drain_timeout: 5s
        jobs:
          boom:
            every: 1s
            run: { command: ["sh", "-c", "echo '<script>alert(1)</script> boom'; exit 3"] }
            overlap: allow
          nightly:
            schedule: "0 22 * * *"
            timezone: Europe/Berlin
            run: { command: ["echo", "hello from nightly"] }
        """;

    public ApiDaemon Daemon { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Daemon = await ApiDaemon.StartAsync(Config);
        await ApiDaemon.WaitForAsync(
            async () =>
            {
                var (_, incidents) = await Daemon.GetAsync("/api/incidents?job=boom&state=open&kind=failed_streak");
                return incidents.GetArrayLength() > 0 ? (object)incidents : null;
            },
            "the failed-streak incident of boom");
    }

    public async Task DisposeAsync() => await Daemon.DisposeAsync();

    /// <summary>The ids of boom's failed runs, newest first.</summary>
    public async Task<List<long>> FailedRunsAsync()
    {
        var (_, page) = await Daemon.GetAsync("/api/runs?job=boom&state=failed");
        return [.. page.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetInt64())];
    }

    public static string[] Names(JsonElement array, string property = "name") =>
        [.. array.EnumerateArray().Select(e => e.GetProperty(property).GetString()!)];
}
