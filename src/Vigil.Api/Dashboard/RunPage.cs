using System.Globalization;
using Vigil.Api.Hosting;
using Vigil.Ledger;

namespace Vigil.Api.Dashboard;

/// <summary>One run: its state history, result, the attempts of its slot and its output tail.</summary>
internal static class RunPage
{
    /// <summary>Renders the page.</summary>
    public static async Task<Html> RenderAsync(ApiState state, long id, CancellationToken cancellationToken)
    {
        var ledger = state.Ledger();
        var now = ledger.Now;
        var run = await ledger.GetRunAsync(id, cancellationToken).ConfigureAwait(false);
        var attempts = await ledger.Store.ListAttemptsAsync(run.Job, run.Slot, cancellationToken).ConfigureAwait(false);
        var output = await ledger.Store.GetRunOutputAsync(run.Id, cancellationToken).ConfigureAwait(false);

        var html = new Html().Raw("<h1>Run #").Text(run.Id.ToString(CultureInfo.InvariantCulture)).Raw(" of ")
            .Link("/jobs/" + Html.Segment(run.Job), run.Job).Raw(" ").State(run.State).Raw("</h1>");
        if (run.Reason is { } reason)
        {
            html.Element("p", reason, "reason big");
        }

        html.Raw("<p class=\"actions\">");
        if (run.State.IsTerminal() && run.State != RunState.Succeeded && !attempts.Any(a => !a.State.IsTerminal()))
        {
            html.Action($"/api/runs/{run.Id}/retry", "Retry");
        }

        html.Raw("</p><section><h2>State history</h2><ol class=\"history\">");
        Step(html, "created (pending)", run.CreatedAt, $"trigger {run.Trigger.Name()}, slot {Html.When(run.Slot)}");
        if (run.NotBefore is { } notBefore)
        {
            Step(html, "not before", notBefore, "backoff before this attempt");
        }

        if (run.StartedAt is { } started)
        {
            Step(html, "running", started, $"node {run.Node ?? "-"}, incarnation {run.IncarnationId?.ToString(CultureInfo.InvariantCulture) ?? "-"}, deadline {Html.When(run.Deadline)}");
        }

        if (run.FinishedAt is { } finished)
        {
            Step(html, run.State.Name(), finished, run.Reason ?? (run.ExitCode is { } code ? $"exit code {code}" : string.Empty));
        }

        html.Raw("</ol></section><section><h2>Result</h2><dl>");
        Field(html, "duration", Html.Length(run.Duration));
        Field(html, "exit code", run.ExitCode?.ToString(CultureInfo.InvariantCulture));
        Field(html, "result", run.ResultStatus);
        Field(html, "summary", run.Summary);
        Field(html, "tokens", run.TokensIn is null && run.TokensOut is null ? null : $"in {run.TokensIn?.ToString(CultureInfo.InvariantCulture) ?? "-"}, out {run.TokensOut?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
        Field(html, "session", run.Session);
        Field(html, "resumed", run.Resumed ? "yes (an earlier attempt was interrupted)" : "no");
        html.Raw("</dl></section><section><h2>Attempts of this slot</h2><ol class=\"attempts\">");
        foreach (var attempt in attempts)
        {
            html.Raw(attempt.Id == run.Id ? "<li class=\"current\">" : "<li>")
                .Link($"/runs/{attempt.Id}", $"attempt {attempt.Attempt} (#{attempt.Id})").Raw(" ").State(attempt.State)
                .Raw(" ").Element("span", $"{attempt.Trigger.Name()} · {Html.Relative(attempt.FinishedAt ?? attempt.StartedAt ?? attempt.CreatedAt, now)}", "muted");
            if (attempt.Reason is { } why)
            {
                html.Raw(" ").Element("span", why, "reason");
            }

            html.Raw("</li>");
        }

        html.Raw("</ol></section><section><h2>Output</h2>");
        if (string.IsNullOrEmpty(output))
        {
            html.Raw("<p class=\"muted\">No output captured.</p>");
        }
        else
        {
            html.Raw("<pre class=\"output\">").Text(output).Raw("</pre>");
        }

        return html.Raw("</section>");
    }

    private static void Step(Html html, string what, DateTimeOffset when, string detail) =>
        html.Raw("<li><strong>").Text(what).Raw("</strong> ").Text(Html.When(when)).Raw(" ").Element("span", detail, "muted").Raw("</li>");

    private static void Field(Html html, string label, string? value) =>
        html.Raw("<dt>").Text(label).Raw("</dt><dd>").Text(value ?? "-").Raw("</dd>");
}
