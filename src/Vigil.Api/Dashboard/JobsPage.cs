using Vigil.Api.Hosting;
using Vigil.Ledger;
using Vigil.Operations;

namespace Vigil.Api.Dashboard;

/// <summary>The front page: every job with its schedule in words, next run, last run and a strip of its last 20 runs.</summary>
internal static class JobsPage
{
    /// <summary>How many runs the strip shows.</summary>
    public const int StripLength = 20;

    /// <summary>Renders the page.</summary>
    public static async Task<Html> RenderAsync(ApiState state, CancellationToken cancellationToken)
    {
        var ledger = state.Ledger();
        var now = ledger.Now;
        var jobs = await JobCatalog.ListAsync(ledger, cancellationToken).ConfigureAwait(false);
        var incidents = await ledger.Store.CountUnresolvedIncidentsAsync(cancellationToken).ConfigureAwait(false);
        var running = await ledger.Store.ListRunsAsync(new RunQuery { State = RunState.Running, Limit = 1000 }, cancellationToken).ConfigureAwait(false);
        var failedLast = jobs.Count(j => j.LastRun is { State: not RunState.Succeeded });

        var html = new Html().Raw("<h1>Jobs</h1><p class=\"summary\">");
        html.Text($"{jobs.Count} job(s), {running.Count} running now, {failedLast} whose last run did not succeed, {incidents.Values.Sum()} open incident(s)").Raw("</p>");
        if (running.Count > 0)
        {
            html.Raw("<p class=\"running\">Running: ");
            foreach (var run in running)
            {
                html.Link($"/runs/{run.Id}", $"{run.Job} #{run.Id}").Raw(" ");
            }

            html.Raw("</p>");
        }

        if (jobs.Count == 0)
        {
            return html.Raw("<p>No jobs yet: declare them in the config file or add one through the API.</p>");
        }

        html.Raw("<div class=\"scroll\"><table class=\"jobs\"><thead><tr><th>Job</th><th>Schedule</th><th>Next run</th><th>Last run</th><th>Last ")
            .Text(StripLength.ToString(System.Globalization.CultureInfo.InvariantCulture)).Raw("</th><th>Incidents</th></tr></thead><tbody>");
        var strips = await ledger.Store.ListRecentRunsAsync([.. jobs.Select(j => j.Name)], StripLength, cancellationToken).ConfigureAwait(false);
        foreach (var job in jobs)
        {
            var runs = strips[job.Name];
            html.Raw("<tr data-job=\"").Text(job.Name).Raw("\"><td>").Link("/jobs/" + Html.Segment(job.Name), job.Name, "job");
            if (job.StateWord != "enabled")
            {
                html.Raw(" ").Element("span", job.StateWord, "flag");
            }

            html.Raw("</td><td>");
            if (job.Schedule is { } schedule)
            {
                html.Element("span", schedule.Describe(), null, schedule.Text);
            }
            else
            {
                html.Element("span", job.Problem ?? "unreadable", "problem");
            }

            html.Raw("</td><td>").Element("span", Html.Relative(job.NextSlot, now), null, Html.When(job.NextSlot)).Raw("</td><td>");
            if (job.LastRun is { } last)
            {
                html.Raw("<a href=\"/runs/").Text(last.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Raw("\">").State(last.State).Raw("</a> ")
                    .Element("span", $"{Html.Relative(last.FinishedAt ?? last.StartedAt ?? last.Slot, now)} · {Html.Length(last.Duration)}", "muted", Html.When(last.FinishedAt ?? last.StartedAt ?? last.Slot));
            }
            else
            {
                html.Text("never");
            }

            html.Raw("</td><td>");
            Strip(html, runs);
            var open = incidents.TryGetValue(job.Name, out var count) ? count : 0;
            html.Raw("</td><td>");
            if (open > 0)
            {
                html.Link("/incidents?job=" + Html.Segment(job.Name), open.ToString(System.Globalization.CultureInfo.InvariantCulture), "badge s-failed");
            }

            html.Raw("</td></tr>");
        }

        return html.Raw("</tbody></table></div>");
    }

    /// <summary>The last runs as coloured cells, oldest on the left; each links to its run.</summary>
    public static void Strip(Html html, IReadOnlyList<RunRecord> newestFirst)
    {
        html.Raw("<span class=\"strip\">");
        for (var i = newestFirst.Count - 1; i >= 0; i--)
        {
            var run = newestFirst[i];
            var title = $"#{run.Id} {Html.When(run.Slot)} {run.State.Name()}{(run.Reason is null ? string.Empty : ": " + run.Reason)}";
            html.Link($"/runs/{run.Id}", string.Empty, "cell s-" + run.State.Name(), title);
        }

        html.Raw("</span>");
    }
}
