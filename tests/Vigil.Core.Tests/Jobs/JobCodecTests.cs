using Vigil.Core.Tests.Engine;
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

    /// <summary>Every action kind and every policy field set to a value other than its default.</summary>
    internal static JobDefinition[] EveryKind() =>
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

    [Fact]
    public void Deserialize_EveryActionKindAndPolicy_RoundTripsToTheSameText()
    {
        foreach (var job in EveryKind())
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

    [Theory]
    [InlineData("\"timeout\":\"1h\"", "\"timeout\":\"soon\"", "\"soon\" is not a duration (expected a number followed by ms, s, m, h or d, e.g. 30s)")]
    [InlineData("\"timeout\":\"1h\"", "\"timeout\":null", "job definition: \"timeout\" is missing")]
    [InlineData("\"kill_grace\":\"10s\"", "\"kill_grace\":\"10x\"", "\"10x\" has an unknown unit \"x\" (use ms, s, m, h or d)")]
    [InlineData("\"backoff\":\"30s\"", "\"backoff\":\"\"", "empty duration")]
    [InlineData("\"grace\":null", "\"grace\":\"5\"", "\"5\" has no unit (use ms, s, m, h or d, e.g. 5s)")]
    [InlineData("\"max_silence\":null", "\"max_silence\":\"-1s\"", "\"-1s\" is not a duration (expected a number followed by ms, s, m, h or d, e.g. 30s)")]
    [InlineData("\"name\":\"h\",", "", "job definition: \"name\" is missing")]
    public void Deserialize_BadField_FailsWithTheFieldsReason(string field, string replacement, string message)
    {
        var json = JobCodec.Serialize(TestJobs.Handler("h", "@daily"));
        Assert.Contains(field, json, StringComparison.Ordinal);
        var bad = json.Replace(field, replacement, StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => JobCodec.Deserialize(bad));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Deserialize_MissingNameAndBadTimeout_ReportsTheNameFirst()
    {
        var json = JobCodec.Serialize(TestJobs.Handler("h", "@daily"))
            .Replace("\"name\":\"h\",", string.Empty, StringComparison.Ordinal)
            .Replace("\"timeout\":\"1h\"", "\"timeout\":\"soon\"", StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => JobCodec.Deserialize(json));

        Assert.Equal("job definition: \"name\" is missing", error.Message);
    }

    [Theory]
    [InlineData("\"source\":\"api\"", "\"source\":1")]
    [InlineData("\"on_stop\":\"detach\"", "\"on_stop\":true")]
    [InlineData("\"timeout\":\"1h\"", "\"timeout\":3600")]
    [InlineData("\"schedule\":\"@daily\"", "\"schedule\":[]")]
    public void Deserialize_FieldOfTheWrongType_FailsWithAnInvalidOperation(string field, string replacement)
    {
        var json = JobCodec.Serialize(TestJobs.Handler("h", "@daily") with { Source = JobSource.Api });
        Assert.Contains(field, json, StringComparison.Ordinal);

        Assert.Throws<InvalidOperationException>(() => JobCodec.Deserialize(json.Replace(field, replacement, StringComparison.Ordinal)));
    }
}
