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
}
