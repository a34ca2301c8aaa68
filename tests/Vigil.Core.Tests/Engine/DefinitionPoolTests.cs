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
    public void Decode_EveryActionKindAndPolicy_EqualToAFullDecode()
    {
        var pool = new DefinitionPool();
        foreach (var job in Vigil.Core.Tests.Jobs.JobCodecTests.EveryKind())
        {
            var json = JobCodec.Serialize(job);

            // Twice: the first decodes the text, the second is a repeat under another name.
            var first = pool.Decode(Utf8(job), job.Name);
            var repeat = pool.Decode(Utf8(job with { Name = job.Name + "-2" }), job.Name + "-2");

            Assert.Equal(json, JobCodec.Serialize(first));
            Assert.Equal(JobCodec.Serialize(job with { Name = job.Name + "-2" }), JobCodec.Serialize(repeat));
            Assert.Equal(JobCodec.Serialize(JobCodec.Deserialize(json)), JobCodec.Serialize(first));
        }
    }

    [Fact]
    public void Decode_RowNameEqualToTheDefinitions_IsTheNameItself()
    {
        var pool = new DefinitionPool();
        var job = TestJobs.Handler("tenant-é", "@hourly");
        var rowName = new string("tenant-é".AsSpan());
        var otherRow = new string("tenant-x".AsSpan());

        var decoded = pool.Decode(Utf8(job), rowName);
        var mismatched = pool.Decode(Utf8(job with { Name = "tenant-y" }), otherRow);

        Assert.Same(rowName, decoded.Name);
        Assert.Equal("tenant-y", mismatched.Name);
    }

    [Fact]
    public void Decode_DefinitionsDifferingInTheirTimeout_ShareEveryOtherPart()
    {
        var pool = new DefinitionPool();
        var job = TestJobs.Handler("a", "0 0 * * *", handler: "noop");

        var a = pool.Decode(Utf8(job), "a");
        var b = pool.Decode(Utf8(job with { Name = "b", Policies = job.Policies with { Timeout = TimeSpan.FromSeconds(3601) } }), "b");

        Assert.NotSame(a.Policies, b.Policies);
        Assert.Equal(TimeSpan.FromSeconds(3601), b.Policies.Timeout);
        Assert.Same(a.Policies.Retry, b.Policies.Retry);
        Assert.Same(a.Policies.Expect, b.Policies.Expect);
        Assert.Same(a.Action, b.Action);
        Assert.Same(a.Schedule, b.Schedule);
        Assert.Same(a.TimeZone, b.TimeZone);
    }

    [Fact]
    public void Policies_MoreThanKept_KeptOnesStillSharedNewOnesReturnedAsTheyAre()
    {
        IDefinitionParts pool = new DefinitionPool();
        var first = pool.Policies(JobPolicies.Default with { MaxCatchUp = 0 });
        for (var i = 1; i < DefinitionPool.MaxPolicies + 10; i++)
        {
            pool.Policies(JobPolicies.Default with { MaxCatchUp = i });
        }

        var late = JobPolicies.Default with { MaxCatchUp = -1 };

        Assert.Same(first, pool.Policies(JobPolicies.Default with { MaxCatchUp = 0 }));
        Assert.Same(late, pool.Policies(late));
        Assert.NotSame(late, pool.Policies(JobPolicies.Default with { MaxCatchUp = -1 }));
    }

    [Fact]
    public void Decode_NotADefinition_Throws()
    {
        var pool = new DefinitionPool();

        Assert.ThrowsAny<Exception>(() => pool.Decode("{\"name\":\"x\",\"schedule\":"u8));
    }

    private static byte[] Utf8(JobDefinition job) => Encoding.UTF8.GetBytes(JobCodec.Serialize(job));
}
