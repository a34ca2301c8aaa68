using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Storage.Conformance;

public abstract partial class RunStoreConformanceTests
{
    [Fact]
    public async Task UpsertJobAsync_NewJob_GetReturnsItFieldForField()
    {
        var job = Job("nightly") with { Source = JobSource.Api, Paused = true };

        await Store.UpsertJobAsync(job, Ct);

        Assert.Equal(job, await Store.GetJobAsync("nightly", Ct));
    }

    [Fact]
    public async Task UpsertJobAsync_ExistingJob_ReplacesDefinition()
    {
        await Store.UpsertJobAsync(Job("nightly"), Ct);
        var changed = Job("nightly", schedule: "0 22 * * *") with { UpdatedAt = At(60) };

        await Store.UpsertJobAsync(changed, Ct);

        var stored = await Store.GetJobAsync("nightly", Ct);
        Assert.Equal(changed, stored);
        Assert.Equal("0 22 * * *", JobCodec.Deserialize(stored!.Definition).Schedule);
        Assert.Single(await Store.ListJobsAsync(includeRemoved: true, Ct));
    }

    [Fact]
    public async Task UpsertJobAsync_ExistingJob_LeavesItsRunsAlone()
    {
        await Store.UpsertJobAsync(Job("nightly"), Ct);
        var id = await InsertAsync(Run("nightly", Slot(0)));

        await Store.UpsertJobAsync(Job("nightly", schedule: "0 22 * * *"), Ct);

        Assert.Equal(RunState.Pending, (await GetAsync(id)).State);
    }

    [Fact]
    public async Task GetJobAsync_UnknownName_ReturnsNull()
    {
        Assert.Null(await Store.GetJobAsync("nope", Ct));
    }

    [Fact]
    public async Task ListJobsPageAsync_PagesAfterLastName_CoverEveryJobOnceInNameOrder()
    {
        foreach (var name in new[] { "e-job", "b-job", "d-job", "a-job", "c-job" })
        {
            await Store.UpsertJobAsync(Job(name), Ct);
        }

        Assert.True(await Store.RemoveJobAsync("d-job", At(5), Ct));

        var first = await Store.ListJobsPageAsync(null, 2, includeRemoved: false, Ct);
        var second = await Store.ListJobsPageAsync(first[^1].Name, 2, includeRemoved: false, Ct);
        var third = await Store.ListJobsPageAsync(second[^1].Name, 2, includeRemoved: false, Ct);
        var withRemoved = await Store.ListJobsPageAsync("c-job", 10, includeRemoved: true, Ct);

        Assert.Equal(["a-job", "b-job"], first.Select(j => j.Name));
        Assert.Equal(["c-job", "e-job"], second.Select(j => j.Name));
        Assert.Empty(third);
        Assert.Equal(["d-job", "e-job"], withRemoved.Select(j => j.Name));
        Assert.Equal(await Store.GetJobAsync("a-job", Ct), first[0].ToStoredJob());
        Assert.Equal(await Store.GetJobAsync("d-job", Ct), withRemoved[0].ToStoredJob());
    }

    [Fact]
    public async Task ListJobsAsync_RemovedJob_ListedOnlyWhenIncluded()
    {
        await Store.UpsertJobAsync(Job("b-job"), Ct);
        await Store.UpsertJobAsync(Job("a-job"), Ct);
        await Store.UpsertJobAsync(Job("c-job"), Ct);
        Assert.True(await Store.RemoveJobAsync("c-job", At(5), Ct));

        var active = await Store.ListJobsAsync(includeRemoved: false, Ct);
        var all = await Store.ListJobsAsync(includeRemoved: true, Ct);

        Assert.Equal(["a-job", "b-job"], active.Select(j => j.Name));
        Assert.Equal(["a-job", "b-job", "c-job"], all.Select(j => j.Name));
    }

    [Fact]
    public async Task SetJobPausedAsync_ExistingJob_PausesAndResumes()
    {
        await Store.UpsertJobAsync(Job("nightly"), Ct);

        Assert.True(await Store.SetJobPausedAsync("nightly", true, At(5), Ct));
        Assert.True((await Store.GetJobAsync("nightly", Ct))!.Paused);

        Assert.True(await Store.SetJobPausedAsync("nightly", false, At(6), Ct));
        Assert.False((await Store.GetJobAsync("nightly", Ct))!.Paused);
    }

    [Fact]
    public async Task SetJobPausedAsync_UnknownJob_ReturnsFalse()
    {
        Assert.False(await Store.SetJobPausedAsync("nope", true, At(5), Ct));
    }

    [Fact]
    public async Task RemoveJobAsync_JobWithRuns_MarksRemovedAndKeepsHistory()
    {
        await Store.UpsertJobAsync(Job("nightly"), Ct);
        var id = await InsertAsync(Run("nightly", Slot(0)));
        await Store.ResolvePendingAsync(id, RunState.Skipped, "paused", At(1), Ct);

        Assert.True(await Store.RemoveJobAsync("nightly", At(9), Ct));

        Assert.Equal(At(9), (await Store.GetJobAsync("nightly", Ct))!.RemovedAt);
        Assert.Equal(RunState.Skipped, (await GetAsync(id)).State);
        Assert.Single(await Store.ListRunsAsync(new RunQuery { Job = "nightly" }, Ct));
    }

    [Fact]
    public async Task RemoveJobAsync_UnknownJob_ReturnsFalse()
    {
        Assert.False(await Store.RemoveJobAsync("nope", At(5), Ct));
    }

    [Fact]
    public async Task UpsertJobAsync_RemovedJobDeclaredAgain_IsActiveAgain()
    {
        await Store.UpsertJobAsync(Job("nightly"), Ct);
        await Store.RemoveJobAsync("nightly", At(9), Ct);

        await Store.UpsertJobAsync(Job("nightly") with { UpdatedAt = At(20) }, Ct);

        Assert.Null((await Store.GetJobAsync("nightly", Ct))!.RemovedAt);
        Assert.Single(await Store.ListJobsAsync(includeRemoved: false, Ct));
    }
}
