using System.Globalization;
using Vigil.Api.Hosting;
using Vigil.Incidents;
using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Operations;
using Vigil.Scheduling;

namespace Vigil.Api.Dashboard;

/// <summary>One job: actions, the compiled schedule with its next fires, incidents, a timeline of slots and the run history.</summary>
internal static class JobPage
{
    private const int NextFires = 5;
    private const int History = 60;

    /// <summary>Renders the page.</summary>
    public static async Task<Html> RenderAsync(ApiState state, string name, CancellationToken cancellationToken)
    {
        var ledger = state.Ledger();
        var now = ledger.Now;
        var job = await JobCatalog.FindAsync(ledger, name, cancellationToken).ConfigureAwait(false);
        var runs = await ledger.Store.ListRunsAsync(new RunQuery { Job = job.Name, Limit = History }, cancellationToken).ConfigureAwait(false);
        var incidents = await ledger.Store.ListIncidentsAsync(new IncidentQuery { Job = job.Name, Limit = 20 }, cancellationToken).ConfigureAwait(false);
        var path = "/api/jobs/" + Html.Segment(job.Name);

        var html = new Html().Raw("<h1>").Text(job.Name).Raw(" ").Element("span", job.StateWord, "flag").Raw("</h1><p class=\"actions\">");
        if (job.Stored is not null && !job.Removed)
        {
            html.Action(path + "/trigger", "Run now");
            html.Action(path + (job.Paused ? "/resume" : "/pause"), job.Paused ? "Resume" : "Pause");
        }

        html.Raw("</p><section><h2>Schedule</h2><dl>");
        Field(html, "schedule", job.Definition?.Schedule);
        Field(html, "in words", job.Schedule?.Describe() ?? job.Problem);
        Field(html, "compiled", job.Schedule?.Expression);
        Field(html, "time zone", job.Definition?.TimeZone);
        Field(html, "action", job.Definition?.Action switch
        {
            CommandAction command => (command.Shell ? "sh -c " : string.Empty) + string.Join(' ', command.Argv),
            HttpAction http => $"{http.Method} {http.Url}",
            HandlerAction handler => "handler " + handler.Name,
            _ => null,
        });
        Field(html, "timeout", job.Definition is { } d ? Duration.Format(d.Policies.Timeout) : null);
        Field(html, "source", job.Source == JobSource.Config ? "config file" : "API");
        html.Raw("</dl><h3>Next fires</h3><ol class=\"fires\">");
        var zone = job.Definition is { } definition && TimeZones.TryFind(definition.TimeZone, out var found, out _) ? found : TimeZoneInfo.Utc;
        foreach (var fire in JobCatalog.NextSlots(job, now, NextFires))
        {
            var local = TimeZoneInfo.ConvertTime(fire, zone);
            html.Raw("<li>").Text($"{Html.When(fire)} ({local:yyyy-MM-dd HH:mm:ss zzz} local, {Html.Relative(fire, now)})").Raw("</li>");
        }

        html.Raw("</ol></section>");
        IncidentsPage.Table(html, incidents, "Incidents", now);

        html.Raw("<section><h2>Timeline</h2><p class=\"muted\">Every slot with its attempts, newest first; skipped and missed slots with their reasons.</p><ol class=\"timeline\">");
        foreach (var slot in runs.GroupBy(r => r.Slot).OrderByDescending(g => g.Key))
        {
            html.Raw("<li><span class=\"slot\">").Text(Html.When(slot.Key)).Raw("</span> ");
            foreach (var run in slot.OrderBy(r => r.Attempt))
            {
                html.Raw("<a class=\"attempt\" href=\"/runs/").Text(run.Id.ToString(CultureInfo.InvariantCulture)).Raw("\">")
                    .Text($"#{run.Attempt} ").State(run.State).Raw("</a>");
                if (run.Reason is { } reason)
                {
                    html.Raw(" ").Element("span", reason, "reason");
                }

                html.Raw(" ");
            }

            html.Raw("</li>");
        }

        html.Raw("</ol></section>");
        RunsPage.Table(html, runs, withJob: false, now, "Run history");
        return html;
    }

    private static void Field(Html html, string label, string? value)
    {
        html.Raw("<dt>").Text(label).Raw("</dt><dd>").Text(value ?? "-").Raw("</dd>");
    }
}
