using Vigil.Jobs;

namespace Vigil.Core.Tests.Jobs;

public class JobCodecTests
{
    [Fact]
    public void Serialize_EveryGridWithAnchor_RoundTrips()
    {
        var job = new JobDefinition
        {
            Name = "grid",
            Schedule = "every 90m",
            TimeZone = "Europe/Berlin",
            Anchor = new DateTimeOffset(2026, 1, 1, 0, 15, 0, TimeSpan.FromHours(1)),
            Action = new CommandAction { Argv = ["true"] },
        };

        var json = JobCodec.Serialize(job);
        var back = JobCodec.Deserialize(json);

        Assert.Contains("\"anchor\":\"2025-12-31T23:15:00Z\"", json, StringComparison.Ordinal);
        Assert.Equal(job.Anchor, back.Anchor);
        Assert.Equal(json, JobCodec.Serialize(back));
    }

    [Fact]
    public void Serialize_NoAnchor_RoundTripsAsNull()
    {
        var job = new JobDefinition { Name = "a", Schedule = "@daily", TimeZone = "UTC", Action = new HandlerAction { Name = "h" } };

        Assert.Null(JobCodec.Deserialize(JobCodec.Serialize(job)).Anchor);
    }

    [Fact]
    public void Deserialize_EveryActionKindAndPolicy_RoundTripsToTheSameText()
    {
        JobDefinition[] jobs =
        [
            new()
            {
                Name = "cmd",
                Schedule = "0 22 * * *",
                TimeZone = "Europe/Berlin",
                Action = new CommandAction { Argv = ["./run.sh", "--nightly"], Cwd = "/srv", Env = new Dictionary<string, string> { ["A"] = "1", ["B"] = "\"q\"" }, Shell = true },
                Policies = JobPolicies.Default with
                {
                    IdleTimeout = TimeSpan.FromMinutes(5),
                    OnInterrupt = InterruptPolicy.Record,
                    OnStop = StopPolicy.Drain,
                    Retry = new RetryPolicy { MaxAttempts = 5, On = [Vigil.Ledger.RunState.Interrupted, Vigil.Ledger.RunState.Failed] },
                    Overlap = OverlapPolicy.Queue,
                    CatchUp = CatchUpPolicy.All,
                    Grace = TimeSpan.FromMinutes(3),
                    After = ["extract", "load"],
                    Session = "main",
                    Expect = new ExpectPolicy { MaxSilence = TimeSpan.FromHours(26), EmptyStreak = 3 },
                    PauseAfterFailures = 7,
                },
                Enabled = false,
                Source = JobSource.Api,
            },
            new()
            {
                Name = "call",
                Schedule = "every 30m",
                TimeZone = "UTC",
                Action = new HttpAction { Method = "POST", Url = "http://127.0.0.1:9000/x", Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer ${T}" }, Body = "{}", ExpectStatus = [200, 204] },
            },
            new() { Name = "h", Schedule = "@daily", TimeZone = "UTC", Action = new HandlerAction { Name = "noop" } },
        ];

        foreach (var job in jobs)
        {
            var json = JobCodec.Serialize(job);

            Assert.Equal(json, JobCodec.Serialize(JobCodec.Deserialize(json)));
        }
    }

    [Fact]
    public void Deserialize_DefinitionStoredBeforeOnStopExisted_Detaches()
    {
        var job = new JobDefinition { Name = "a", Schedule = "@daily", TimeZone = "UTC", Action = new CommandAction { Argv = ["true"] }, Policies = JobPolicies.Default with { OnStop = StopPolicy.Drain } };
        var old = JobCodec.Serialize(job).Replace(",\"on_stop\":\"drain\"", string.Empty, StringComparison.Ordinal);

        Assert.DoesNotContain("on_stop", old, StringComparison.Ordinal);
        Assert.Equal(StopPolicy.Detach, JobCodec.Deserialize(old).Policies.OnStop);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"name\":\"a\"}")]
    [InlineData("{\"name\":1}")]
    public void Deserialize_MalformedDefinition_FailsWithAFormatOrJsonError(string json)
    {
        var error = Record.Exception(() => JobCodec.Deserialize(json));

        Assert.True(error is FormatException or System.Text.Json.JsonException or InvalidOperationException, error?.GetType().Name);
    }
}
