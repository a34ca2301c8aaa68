using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Api.Hosting;
using Vigil.Ledger;
using Vigil.Operations;
using Vigil.Operations.Json;

namespace Vigil.Api.Endpoints;

/// <summary><c>/api/runs</c>: list (filters and paging), show, logs, retry.</summary>
internal static class RunEndpoints
{
    private const int DefaultLimit = 50;

    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        var runs = routes.MapGroup("/api/runs").WithTags("runs");
        runs.MapGet("/", ListAsync).WithSummary("Runs, newest first; ?job=&state=&since=&limit=&before= (before: the next_before of the previous page)");
        runs.MapGet("/{id}", ShowAsync).WithSummary("One run with every attempt of its slot (as `vigil runs show --json`)");
        runs.MapGet("/{id}/logs", LogsAsync).WithSummary("The captured output tail, as text/plain");
        runs.MapPost("/{id}/retry", RetryAsync).WithSummary("Queue a new attempt at the slot of a run that ended without success; answers the new run");
    }

    private static async Task<IResult> ListAsync(ApiState state, HttpRequest request, CancellationToken cancellationToken)
    {
        var ledger = state.Ledger();
        var query = request.Query;
        var limit = (int)Math.Min(ApiRequests.Number(request, "limit") ?? DefaultLimit, RunOperations.MaxLimit + 1L);
        var runQuery = new RunQuery
        {
            Job = query["job"].ToString() is { Length: > 0 } job ? job : null,
            State = query["state"].ToString() is { Length: > 0 } s ? RunOperations.ParseState("state", s) : null,
            Since = query["since"].ToString() is { Length: > 0 } since ? RunOperations.ParseSince("since", since, ledger.Now) : null,
            BeforeId = ApiRequests.Number(request, "before"),
            Limit = RunOperations.CheckLimit("limit", limit),
        };
        var runs = await RunOperations.ListAsync(ledger, runQuery, cancellationToken).ConfigureAwait(false);
        return ApiResponses.Json(writer =>
        {
            writer.WriteStartObject();
            RunJson.WriteArray(writer, "runs", runs);
            RunJson.WriteNumber(writer, "next_before", runs.Count == runQuery.Limit ? runs[^1].Id : null);
            writer.WriteEndObject();
        });
    }

    private static async Task<IResult> ShowAsync(ApiState state, string id, CancellationToken cancellationToken)
    {
        var ledger = state.Ledger();
        var run = await ledger.GetRunAsync(ApiRequests.RunId(id), cancellationToken).ConfigureAwait(false);
        var attempts = await ledger.Store.ListAttemptsAsync(run.Job, run.Slot, cancellationToken).ConfigureAwait(false);
        var output = await ledger.Store.GetRunOutputAsync(run.Id, cancellationToken).ConfigureAwait(false);
        return ApiResponses.Json(writer => RunJson.WriteDetail(writer, run, attempts, output));
    }

    private static async Task<IResult> LogsAsync(ApiState state, string id, CancellationToken cancellationToken)
    {
        var ledger = state.Ledger();
        var run = await ledger.GetRunAsync(ApiRequests.RunId(id), cancellationToken).ConfigureAwait(false);
        var output = await ledger.Store.GetRunOutputAsync(run.Id, cancellationToken).ConfigureAwait(false);
        return Results.Text(output ?? string.Empty, "text/plain; charset=utf-8");
    }

    private static async Task<IResult> RetryAsync(ApiState state, string id, CancellationToken cancellationToken)
    {
        var ledger = state.Ledger();
        var newId = await RunOperations.RetryAsync(ledger, ApiRequests.RunId(id), cancellationToken).ConfigureAwait(false);
        var run = await ledger.GetRunAsync(newId, cancellationToken).ConfigureAwait(false);
        return ApiResponses.Json(writer => RunJson.Write(writer, run), StatusCodes.Status201Created);
    }
}
