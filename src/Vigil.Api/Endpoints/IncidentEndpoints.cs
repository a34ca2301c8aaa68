using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Api.Hosting;
using Vigil.Incidents;
using Vigil.Operations;

namespace Vigil.Api.Endpoints;

/// <summary><c>/api/incidents</c>: list and acknowledge.</summary>
internal static class IncidentEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        var incidents = routes.MapGroup("/api/incidents").WithTags("incidents");
        incidents.MapGet("/", ListAsync).WithSummary("Incidents, newest first; ?state=open|acknowledged|resolved|unresolved&job=&kind=&limit=");
        incidents.MapGet("/{id}", ShowAsync).WithSummary("One incident");
        incidents.MapPost("/{id}/ack", AcknowledgeAsync).WithSummary("Acknowledge an open incident (no more reminders; it still resolves on its own)");
    }

    /// <summary>The query a listing asks for, checked.</summary>
    internal static IncidentQuery Query(HttpRequest request)
    {
        var query = request.Query;
        IReadOnlyList<IncidentState> states = query["state"].ToString() switch
        {
            "" => [],
            "unresolved" => [IncidentState.Open, IncidentState.Acknowledged],
            var text when IncidentStates.TryParse(text, out var state) => [state],
            var text => throw new ApiException(StatusCodes.Status400BadRequest, $"invalid state \"{text}\": expected open, acknowledged, resolved or unresolved"),
        };
        IncidentKind? kind = query["kind"].ToString() switch
        {
            "" => null,
            var text when IncidentKinds.TryParse(text, out var k) => k,
            var text => throw new ApiException(StatusCodes.Status400BadRequest, $"invalid kind \"{text}\": expected one of {string.Join(", ", Enum.GetValues<IncidentKind>().Select(k => k.Name()))}"),
        };
        return new IncidentQuery
        {
            Job = query["job"].ToString() is { Length: > 0 } job ? job : null,
            States = states,
            Kind = kind,
            Limit = RunOperations.CheckLimit("limit", (int)Math.Min(ApiRequests.Number(request, "limit") ?? 100, RunOperations.MaxLimit + 1L)),
        };
    }

    private static async Task<IResult> ListAsync(ApiState state, HttpRequest request, CancellationToken cancellationToken)
    {
        var incidents = await state.Daemon.Store.ListIncidentsAsync(Query(request), cancellationToken).ConfigureAwait(false);
        return ApiResponses.Json(writer =>
        {
            writer.WriteStartArray();
            foreach (var incident in incidents)
            {
                IncidentJson.Write(writer, incident);
            }

            writer.WriteEndArray();
        });
    }

    private static async Task<IResult> ShowAsync(ApiState state, string id, CancellationToken cancellationToken)
    {
        var incident = await GetAsync(state, id, cancellationToken).ConfigureAwait(false);
        return ApiResponses.Json(writer => IncidentJson.Write(writer, incident));
    }

    private static async Task<IResult> AcknowledgeAsync(ApiState state, string id, CancellationToken cancellationToken)
    {
        var incident = await GetAsync(state, id, cancellationToken).ConfigureAwait(false);
        if (incident.State != IncidentState.Open)
        {
            throw new ApiException(StatusCodes.Status409Conflict, $"incident {incident.Id} is {incident.State.Name()}; only an open incident can be acknowledged");
        }

        var acknowledged = await state.Daemon.Store.AcknowledgeIncidentAsync(incident.Id, state.Daemon.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (!acknowledged)
        {
            throw new ApiException(StatusCodes.Status409Conflict, $"incident {incident.Id} changed meanwhile; it is no longer open");
        }

        var updated = await GetAsync(state, id, cancellationToken).ConfigureAwait(false);
        return ApiResponses.Json(writer => IncidentJson.Write(writer, updated));
    }

    private static async Task<IncidentRecord> GetAsync(ApiState state, string text, CancellationToken cancellationToken)
    {
        if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, $"invalid incident id \"{text}\": expected a positive whole number");
        }

        return await state.Daemon.Store.GetIncidentAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new ApiException(StatusCodes.Status404NotFound, $"no incident with id {id}");
    }
}
