using System.Text;
using Vigil.Engine;
using Vigil.Jobs;

namespace Vigil.Core.Tests.Engine;

/// <summary>Decoding stored definitions: repeats of one template are decoded once, and nothing else changes.</summary>
public sealed class DefinitionPoolTests
{
    [Fact]
    public void Decode_SameTemplateDifferentNames_EqualToAFullDecodeAndSharesItsParts()
    {
        var pool = new DefinitionPool();
        var first = TestJobs.Handler("tenant-a", "*/5 * * * *");
        var second = first with { Name = "tenant-\"b\"\\é" };

        var a = pool.Decode(Utf8(first));
        var b = pool.Decode(Utf8(second));

        Assert.Equal(JobCodec.Serialize(first), JobCodec.Serialize(a));
        Assert.Equal(JobCodec.Serialize(second), JobCodec.Serialize(b));
        Assert.Equal("tenant-\"b\"\\é", b.Name);
        Assert.Same(a.Policies, b.Policies);
        Assert.Same(a.Action, b.Action);
    }

    [Fact]
    public void Decode_TemplatesDifferingInOneField_EachKeepsItsOwnValue()
    {
        var pool = new DefinitionPool();
        var hourly = TestJobs.Handler("job", "0 * * * *");
        var longer = hourly with { Policies = hourly.Policies with { Timeout = TimeSpan.FromHours(2) } };

        var a = pool.Decode(Utf8(hourly));
        var b = pool.Decode(Utf8(longer));
        var c = pool.Decode(Utf8(hourly with { Name = "again" }));

        Assert.Equal(hourly.Policies.Timeout, a.Policies.Timeout);
        Assert.Equal(TimeSpan.FromHours(2), b.Policies.Timeout);
        Assert.Equal(hourly.Policies.Timeout, c.Policies.Timeout);
        Assert.Equal("again", c.Name);
    }

    [Fact]
    public void Decode_NameNotFirst_FallsBackToAFullDecode()
    {
        var pool = new DefinitionPool();
        var job = TestJobs.Handler("late-name", "@daily");
        var json = JobCodec.Serialize(job);
        var reordered = "{" + json[(json.IndexOf(",\"schedule\"", StringComparison.Ordinal) + 1)..^1] + ",\"name\":\"late-name\"}";

        var decoded = pool.Decode(Encoding.UTF8.GetBytes(reordered));

        Assert.Equal(json, JobCodec.Serialize(decoded));
    }

    [Fact]
    public void Decode_MoreTemplatesThanKept_StillDecodesEveryOneCorrectly()
    {
        var pool = new DefinitionPool();
        for (var i = 0; i < DefinitionPool.MaxTemplates + 50; i++)
        {
            var job = TestJobs.Handler("job-" + i, "@hourly");
            job = job with { Policies = job.Policies with { Timeout = TimeSpan.FromSeconds(60 + i) } };

            var decoded = pool.Decode(Utf8(job));

            Assert.Equal(JobCodec.Serialize(job), JobCodec.Serialize(decoded));
        }
    }

    [Fact]
    public void Decode_NotADefinition_Throws()
    {
        var pool = new DefinitionPool();

        Assert.ThrowsAny<Exception>(() => pool.Decode("{\"name\":\"x\",\"schedule\":"u8));
    }

    private static byte[] Utf8(JobDefinition job) => Encoding.UTF8.GetBytes(JobCodec.Serialize(job));
}
