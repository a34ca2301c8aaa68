using Vigil.Jobs;

namespace Vigil.Configuration.Tests;

/// <summary><c>on_stop</c>: top level, <c>defaults:</c> and per job, in that order of precedence.</summary>
public class OnStopTests
{
    private const string Jobs = """
        jobs:
          cmd:
            every: 5m
            run: { command: ["true"] }
          call:
            every: 5m
            run: { http: { url: "http://127.0.0.1:9000/" } }

        """;

    private static JobPolicies Policies(VigilConfig config, string job) => config.Jobs.Single(j => j.Name == job).Policies;

    [Fact]
    public void Parse_NoOnStop_DefaultsToDetach()
    {
        var config = TestConfig.Valid(Jobs);

        Assert.Equal(StopPolicy.Detach, Policies(config, "cmd").OnStop);
    }

    [Fact]
    public void Parse_TopLevelOnStop_IsEveryJobsDefaultWhereverItIsWritten()
    {
        var config = TestConfig.Valid(Jobs + "on_stop: drain\n");

        Assert.Equal(StopPolicy.Drain, Policies(config, "cmd").OnStop);
        Assert.Equal(StopPolicy.Drain, config.Defaults.OnStop);
    }

    [Fact]
    public void Parse_DefaultsAndJobOnStop_OverrideTheTopLevelInOrder()
    {
        var config = TestConfig.Valid("""
            on_stop: drain
            defaults:
              on_stop: detach
            jobs:
              a:
                every: 5m
                run: { command: ["true"] }
              b:
                every: 5m
                on_stop: drain
                run: { command: ["true"] }
            """);

        Assert.Equal(StopPolicy.Detach, Policies(config, "a").OnStop);
        Assert.Equal(StopPolicy.Drain, Policies(config, "b").OnStop);
    }

    [Theory]
    [InlineData("on_stop: later\n", """vigil.yaml:1:10: on_stop: "later" is not one of detach, drain""")]
    [InlineData("jobs:\n  a:\n    every: 5m\n    on_stop: detach\n    run: { http: { url: \"http://127.0.0.1:9000/\" } }\n", "vigil.yaml:4:14: on_stop: detach applies to command actions only; http actions always drain (use on_stop: drain or leave it out)")]
    public void Parse_BadOnStop_ReportsOneLineAtTheValue(string yaml, string expected)
    {
        Assert.Equal(expected, Assert.Single(TestConfig.Errors(yaml)));
    }

    [Fact]
    public void Parse_HttpJobUnderADetachDefault_IsValid()
    {
        var config = TestConfig.Valid(Jobs);

        Assert.False(config.Jobs.Single(j => j.Name == "call").Action.CanDetach);
    }
}
