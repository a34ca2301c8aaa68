using System.Globalization;
using Vigil.Api.Endpoints;
using Vigil.Api.Hosting;
using Vigil.Incidents;
using Microsoft.AspNetCore.Http;

namespace Vigil.Api.Dashboard;

/// <summary>Incidents: unresolved first, then the recently resolved; open ones can be acknowledged.</summary>
internal static class IncidentsPage
{
    /// <summary>Renders the page (the API's query parameters filter it).</summary>
    public static async Task<Html> RenderAsync(ApiState state, HttpRequest request, CancellationToken cancellationToken)
    {
        var query = IncidentEndpoints.Query(request);
        var store = state.Daemon.Store;
        var now = state.Daemon.Time.GetUtcNow();
        var incidents = await store.ListIncidentsAsync(query, cancellationToken).ConfigureAwait(false);
        var html = new Html().Raw("<h1>Incidents</h1><p class=\"filters\">").Link("/incidents", "all").Raw(" · ")
            .Link("/incidents?state=unresolved", "unresolved").Raw(" · ").Link("/incidents?state=resolved", "resolved").Raw("</p>");
        Table(html, [.. incidents.OrderBy(i => i.State == IncidentState.Resolved).ThenByDescending(i => i.LastAt)], null, now);
        return html;
    }

    /// <summary>An incidents table with the acknowledge action on open ones.</summary>
    public static void Table(Html html, IReadOnlyList<IncidentRecord> incidents, string? heading, DateTimeOffset now)
    {
        html.Raw("<section>");
        if (heading is not null)
        {
            html.Element("h2", heading);
        }

        if (incidents.Count == 0)
        {
            html.Raw("<p class=\"muted\">No incidents.</p></section>");
            return;
        }

        html.Raw("<div class=\"scroll\"><table class=\"incidents\"><thead><tr><th>Kind</th><th>Job</th><th>State</th><th>Count</th><th>Last</th><th>Detail</th><th></th></tr></thead><tbody>");
        foreach (var incident in incidents)
        {
            var id = incident.Id.ToString(CultureInfo.InvariantCulture);
            html.Raw("<tr><td>").Text(incident.Kind.Name()).Raw("</td><td>");
            if (incident.Job is { } job)
            {
                html.Link("/jobs/" + Html.Segment(job), job);
            }
            else
            {
                html.Text("(node " + (incident.Node ?? "-") + ")");
            }

            html.Raw("</td><td>").Element("span", incident.State.Name(), "badge i-" + incident.State.Name()).Raw("</td><td>")
                .Text(incident.Count.ToString(CultureInfo.InvariantCulture)).Raw("</td><td>")
                .Element("span", Html.Relative(incident.LastAt, now), null, Html.When(incident.LastAt)).Raw("</td><td>").Text(incident.Detail);
            if (incident.RunId is { } run)
            {
                html.Raw(" ").Link($"/runs/{run}", $"run #{run}");
            }

            if (incident.Resolution is { } resolution)
            {
                html.Raw(" ").Element("span", "resolved: " + resolution, "muted");
            }

            html.Raw("</td><td>");
            if (incident.State == IncidentState.Open)
            {
                html.Action($"/api/incidents/{id}/ack", "Ack");
            }

            html.Raw("</td></tr>");
        }

        html.Raw("</tbody></table></div></section>");
    }
}
