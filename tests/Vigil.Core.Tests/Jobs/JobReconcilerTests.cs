using System.Text.Json.Nodes;
using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Core.Tests.Jobs;

public class JobReconcilerTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static JobDefinition Job(string name, string schedule = "0 * * * *", JobSource source = JobSource.Config) => new()
    {
        Name = name,
        Schedule = schedule,
        TimeZone = "UTC",
        Action = new CommandAction { Argv = ["true"] },
        Source = source,
    };

    private static StoredJob Stored(JobDefinition job, DateTimeOffset? removedAt = null) => new()
    {
        Name = job.Name,
        Definition = JobCodec.Serialize(job),
        Source = job.Source,
        CreatedAt = Created,
        UpdatedAt = Created,
        RemovedAt = removedAt,
    };

    [Fact]
    public void Plan_NothingStored_AddsEveryDeclaredJob()
    {
        var plan = JobReconciler.Plan([Job("a"), Job("b")], []);

        Assert.Equal(["a", "b"], plan.Added.Select(j => j.Name));
        Assert.Empty(plan.Changed);
        Assert.Empty(plan.Removed);
        Assert.Empty(plan.Unchanged);
        Assert.Empty(plan.Conflicts);
        Assert.True(plan.HasChanges);
        Assert.Equal(["a", "b"], plan.ToUpsert.Select(j => j.Name));
    }

    [Fact]
    public void Plan_SameDefinition_IsUnchanged()
    {
        var plan = JobReconciler.Plan([Job("a")], [Stored(Job("a"))]);

        Assert.Equal(["a"], plan.Unchanged.Select(j => j.Name));
        Assert.False(plan.HasChanges);
        Assert.Empty(plan.ToUpsert);
    }

    [Fact]
    public void Plan_StoredTextLaidOutDifferently_IsUnchanged()
    {
        // The same definition with its keys in another order (an older codec, another backend's JSON).
        var json = JsonNode.Parse(JobCodec.Serialize(Job("a")))!.AsObject();
        var reordered = new JsonObject(json.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        var stored = Stored(Job("a")) with { Definition = reordered.ToJsonString() };

        var plan = JobReconciler.Plan([Job("a")], [stored]);

        Assert.Single(plan.Unchanged);
        Assert.False(plan.HasChanges);
    }

    [Fact]
    public void Plan_ChangedScheduleAndTimeout_IsChangedNamingTheFields()
    {
        var declared = Job("a", "0 22 * * *") with { Policies = new JobPolicies { Timeout = TimeSpan.FromHours(2) } };

        var plan = JobReconciler.Plan([declared], [Stored(Job("a"))]);

        var change = Assert.Single(plan.Changed);
        Assert.Equal(["schedule", "timeout"], change.Fields);
        Assert.Same(declared, change.Declared);
        Assert.Equal("a", change.Stored.Name);
        Assert.Equal([declared], plan.ToUpsert);
    }

    [Fact]
    public void Plan_ConfigJobNoLongerDeclared_IsRemoved()
    {
        var plan = JobReconciler.Plan([Job("a")], [Stored(Job("a")), Stored(Job("gone"))]);

        Assert.Equal(["gone"], plan.Removed.Select(j => j.Name));
        Assert.True(plan.HasChanges);
    }

    [Fact]
    public void Plan_AlreadyRemovedConfigJob_IsNotRemovedAgain()
    {
        var plan = JobReconciler.Plan([], [Stored(Job("gone"), removedAt: Created.AddDays(1))]);

        Assert.Empty(plan.Removed);
        Assert.False(plan.HasChanges);
    }

    [Fact]
    public void Plan_RemovedConfigJobDeclaredAgain_IsAdded()
    {
        var plan = JobReconciler.Plan([Job("back")], [Stored(Job("back"), removedAt: Created.AddDays(1))]);

        Assert.Equal(["back"], plan.Added.Select(j => j.Name));
    }

    [Fact]
    public void Plan_ApiJobNotDeclared_IsLeftAlone()
    {
        var plan = JobReconciler.Plan([Job("a")], [Stored(Job("a")), Stored(Job("adhoc", source: JobSource.Api))]);

        Assert.Empty(plan.Removed);
        Assert.Empty(plan.Conflicts);
        Assert.False(plan.HasChanges);
    }

    [Fact]
    public void Plan_DeclaredNameOfAnApiJob_IsAConflictTheConfigWins()
    {
        var api = Stored(Job("shared", source: JobSource.Api));
        var declared = Job("shared", "@daily");

        var plan = JobReconciler.Plan([declared], [api]);

        var conflict = Assert.Single(plan.Conflicts);
        Assert.Same(api, conflict.Stored);
        Assert.Same(declared, conflict.Declared);
        Assert.Equal([declared], plan.ToUpsert);
        Assert.Contains("created through the API", conflict.Warning, StringComparison.Ordinal);
        Assert.Contains("\"shared\"", conflict.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_UnreadableStoredDefinition_IsChangedInEveryField()
    {
        var stored = Stored(Job("a")) with { Definition = """{"name":"a"}""" };

        var change = Assert.Single(JobReconciler.Plan([Job("a")], [stored]).Changed);

        Assert.Contains("schedule", change.Fields);
        Assert.Contains("run", change.Fields);
    }

    [Fact]
    public void Plan_PausedFlag_IsNotPartOfTheDefinition()
    {
        var plan = JobReconciler.Plan([Job("a")], [Stored(Job("a")) with { Paused = true }]);

        Assert.Single(plan.Unchanged);
    }

    [Fact]
    public void Plan_EveryDeclaredJob_LandsInExactlyOneList()
    {
        var stored = new[]
        {
            Stored(Job("same")),
            Stored(Job("edited")),
            Stored(Job("api", source: JobSource.Api)),
            Stored(Job("dropped")),
        };
        JobDefinition[] declared = [Job("same"), Job("edited", "@hourly"), Job("api"), Job("new")];

        var plan = JobReconciler.Plan(declared, stored);

        var names = plan.Added.Select(j => j.Name)
            .Concat(plan.Changed.Select(c => c.Declared.Name))
            .Concat(plan.Unchanged.Select(j => j.Name))
            .Concat(plan.Conflicts.Select(c => c.Declared.Name))
            .Order(StringComparer.Ordinal);
        Assert.Equal(["api", "edited", "new", "same"], names);
        Assert.Equal(["dropped"], plan.Removed.Select(j => j.Name));
    }

    [Fact]
    public void Plan_DeclaredApiSourcedJob_Throws()
    {
        Assert.Throws<ArgumentException>(() => JobReconciler.Plan([Job("a", source: JobSource.Api)], []));
    }

    [Fact]
    public void Plan_DeclaredNameTwice_Throws()
    {
        Assert.Throws<ArgumentException>(() => JobReconciler.Plan([Job("a"), Job("a")], []));
    }
}
