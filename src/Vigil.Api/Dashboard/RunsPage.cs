using System.Globalization;
using Vigil.Api.Hosting;
using Vigil.Ledger;
using Vigil.Operations;

namespace Vigil.Api.Dashboard;

/// <summary>The latest runs of every job, and the runs table other pages share.</summary>
internal static class RunsPage
{
    /// <summary>Renders the page (<c>?state=</c> filters).</summary>
    public static async Task<Html> RenderAsync(ApiState state, string? stateFilter, CancellationToken cancellationToken)
    {
        var ledger = state.Ledger();
        RunState? filter = string.IsNullOrEmpty(stateFilter) ? null : RunOperations.ParseState("state", stateFilter);
        var runs = await ledger.Store.ListRunsAsync(new RunQuery { State = filter, Limit = 100 }, cancellationToken).ConfigureAwait(false);
        var html = new Html().Raw("<h1>Runs</h1><p class=\"filters\">").Link("/runs", "all");
        foreach (var s in new[] { RunState.Running, RunState.Failed, RunState.TimedOut, RunState.Interrupted, RunState.Missed, RunState.Skipped })
        {
            html.Raw(" · ").Link("/runs?state=" + s.Name(), s.Name());
        }

        html.Raw("</p>");
        Table(html, runs, withJob: true, ledger.Now, null);
        return html;
    }

    /// <summary>A runs table, newest first.</summary>
    public static void Table(Html html, IReadOnlyList<RunRecord> runs, bool withJob, DateTimeOffset now, string? heading)
    {
        html.Raw("<section>");
        if (heading is not null)
        {
            html.Element("h2", heading);
        }

        if (runs.Count == 0)
        {
            html.Raw("<p class=\"muted\">No runs.</p></section>");
            return;
        }

        html.Raw("<div class=\"scroll\"><table class=\"runs\"><thead><tr><th>Run</th>");
        if (withJob)
        {
            html.Raw("<th>Job</th>");
        }

        html.Raw("<th>Slot</th><th>Attempt</th><th>State</th><th>Started</th><th>Duration</th><th>Reason</th></tr></thead><tbody>");
        foreach (var run in runs)
        {
            var id = run.Id.ToString(CultureInfo.InvariantCulture);
            html.Raw("<tr><td>").Link("/runs/" + id, "#" + id).Raw("</td>");
            if (withJob)
            {
                html.Raw("<td>").Link("/jobs/" + Html.Segment(run.Job), run.Job).Raw("</td>");
            }

            html.Raw("<td>").Text(Html.When(run.Slot)).Raw("</td><td>").Text(run.Attempt.ToString(CultureInfo.InvariantCulture))
                .Raw("</td><td>").State(run.State).Raw("</td><td>").Element("span", Html.Relative(run.StartedAt, now), null, Html.When(run.StartedAt))
                .Raw("</td><td>").Text(Html.Length(run.Duration)).Raw("</td><td>").Element("span", run.Reason ?? string.Empty, "reason").Raw("</td></tr>");
        }

        html.Raw("</tbody></table></div></section>");
    }
}
