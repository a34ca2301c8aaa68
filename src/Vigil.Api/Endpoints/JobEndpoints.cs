using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Api.Hosting;
using Vigil.Ledger;
using Vigil.Operations;
using Vigil.Operations.Json;

namespace Vigil.Api.Endpoints;

/// <summary><c>/api/jobs</c>: list, show, create, edit, pause, resume, trigger, remove.</summary>
internal static class JobEndpoints
{
    private const int NextSlots = 5;
    private const int LastRuns = 10;

    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        var jobs = routes.MapGroup("/api/jobs").WithTags("jobs");
        jobs.MapGet("/", ListAsync).WithSummary("Every job (as `vigil jobs list --json`)");
        jobs.MapPost("/", CreateAsync).WithSummary("Create an API job: {name, schedule, timezone?, command | shell | http_url, ...}");
        jobs.MapGet("/{name}", ShowAsync).WithSummary("One job with its definition, next slots and last runs (as `vigil jobs show --json`)");
        jobs.MapPatch("/{name}", EditAsync).WithSummary("Change an API job: only the fields given change");
        jobs.MapDelete("/{name}", RemoveAsync).WithSummary("Remove an API job (its runs are kept)");
        jobs.MapPost("/{name}/pause", (ApiState state, string name, CancellationToken token) => SetPausedAsync(state, name, pause: true, token))
            .WithSummary("Pause a job");
        jobs.MapPost("/{name}/resume", (ApiState state, string name, CancellationToken token) => SetPausedAsync(state, name, pause: false, token))
            .WithSummary("Resume a paused job");
        jobs.MapPost("/{name}/trigger", TriggerAsync).WithSummary("Queue a manual run now; answers the new run");
    }

    private static async Task<IResult> ListAsync(ApiState state, CancellationToken cancellationToken)
    {
        var ledger = state.Ledger();
        var jobs = await JobCatalog.ListAsync(ledger, cancellationToken).ConfigureAwait(false);
        var incidents = await ledger.Store.CountUnresolvedIncidentsAsync(cancellationToken).ConfigureAwait(false);
        return ApiResponses.Json(writer => JobJson.WriteList(writer, jobs, incidents));
    }

    private static async Task<IResult> ShowAsync(ApiState state, string name, CancellationToken cancellationToken)
    {
        var ledger = state.Ledger();
        var job = await JobCatalog.FindAsync(ledger, name, cancellationToken).ConfigureAwait(false);
        var runs = await ledger.Store.ListRunsAsync(new RunQuery { Job = job.Name, Limit = LastRuns }, cancellationToken).ConfigureAwait(false);
        var next = JobCatalog.NextSlots(job, ledger.Now, NextSlots);
        return ApiResponses.Json(writer => JobJson.WriteDetail(writer, job, next, runs));
    }

    private static async Task<IResult> CreateAsync(ApiState state, HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ApiRequests.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
        var name = ApiRequests.String(body, "name") ?? throw new ApiException(StatusCodes.Status400BadRequest, "missing \"name\"");
        var spec = ApiRequests.ReadSpec(body, "name");
        var (job, _) = await JobOperations.AddAsync(state.Ledger(), name, spec, JobSpecWords.Api, cancellationToken).ConfigureAwait(false);
        return ApiResponses.Json(writer => JobJson.Write(writer, job), StatusCodes.Status201Created);
    }

    private static async Task<IResult> EditAsync(ApiState state, string name, HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ApiRequests.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
        var spec = ApiRequests.ReadSpec(body);
        if (!spec.AnyGiven)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, "nothing to change: give at least one field");
        }

        var (job, changed) = await JobOperations.EditAsync(state.Ledger(), name, spec, JobSpecWords.Api, cancellationToken).ConfigureAwait(false);
        return ApiResponses.Json(writer =>
        {
            writer.WriteStartObject();
            JobJson.WriteFields(writer, job);
            writer.WriteBoolean("changed", changed);
            writer.WriteEndObject();
        });
    }

    private static async Task<IResult> SetPausedAsync(ApiState state, string name, bool pause, CancellationToken cancellationToken)
    {
        var changed = await JobOperations.SetPausedAsync(state.Ledger(), name, pause, cancellationToken).ConfigureAwait(false);
        return Flag(name, "paused", pause, changed);
    }

    private static async Task<IResult> RemoveAsync(ApiState state, string name, CancellationToken cancellationToken)
    {
        var changed = await JobOperations.RemoveAsync(state.Ledger(), name, cancellationToken).ConfigureAwait(false);
        return Flag(name, "removed", true, changed);
    }

    private static async Task<IResult> TriggerAsync(ApiState state, string name, CancellationToken cancellationToken)
    {
        var ledger = state.Ledger();
        var id = await JobOperations.TriggerAsync(ledger, name, cancellationToken).ConfigureAwait(false);
        var run = await ledger.GetRunAsync(id, cancellationToken).ConfigureAwait(false);
        return ApiResponses.Json(writer => RunJson.Write(writer, run), StatusCodes.Status201Created);
    }

    private static IResult Flag(string name, string flag, bool value, bool changed) =>
        ApiResponses.Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteBoolean(flag, value);
            writer.WriteBoolean("changed", changed);
            writer.WriteEndObject();
        });
}
