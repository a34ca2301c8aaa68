using Vigil.Jobs;

namespace Vigil.Core.Tests.Engine;

/// <summary>Job definitions for the engine tests: UTC schedules, grids anchored at <see cref="EngineHarness.Start"/>.</summary>
internal static class TestJobs
{
    /// <summary>A job running the in-process handler <paramref name="handler"/> (default: a handler named like the job).</summary>
    public static JobDefinition Handler(string name, string schedule, JobPolicies? policies = null, string? handler = null) => new()
    {
        Name = name,
        Schedule = schedule,
        TimeZone = "UTC",
        Anchor = EngineHarness.Start,
        Action = new HandlerAction { Name = handler ?? name },
        Policies = policies ?? JobPolicies.Default,
    };

    /// <summary>A job running a command (argv, no shell) in <paramref name="cwd"/>.</summary>
    public static JobDefinition Command(string name, string schedule, IReadOnlyList<string> argv, string cwd, JobPolicies? policies = null) => new()
    {
        Name = name,
        Schedule = schedule,
        TimeZone = "UTC",
        Anchor = EngineHarness.Start,
        Action = new CommandAction { Argv = argv, Cwd = cwd },
        Policies = policies ?? JobPolicies.Default,
    };
}
