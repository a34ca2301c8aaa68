using System.CommandLine;
using Vigil.Operations.Json;
using Vigil.Cli.Operating;
using Vigil.Operations;
using Vigil.Cli.Output;
using Vigil.Ledger;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil jobs list</c>: every job with its schedule, state, next slot and last run.</summary>
internal sealed class JobsListCommand : Command
{
    private readonly CliContext _context;
    private readonly Option<bool> _json = OperatorOptions.Json("an array of job objects");

    /// <summary>Creates the command.</summary>
    public JobsListCommand(CliContext context)
        : base("list", "List every job: the ledger's (removed ones included) and the config's not applied yet (marked *). "
            + "Columns: name, schedule and its meaning, zone, state (enabled, paused, disabled, removed), next slot, last run. "
            + OperatorOptions.TimesNote)
    {
        _context = context;
        Options.Add(_json);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        await using var ledger = await CliLedger.OpenAsync(parseResult, _context, cancellationToken);
        var jobs = await JobCatalog.ListAsync(ledger, cancellationToken);
        var incidents = await ledger.Store.CountUnresolvedIncidentsAsync(cancellationToken);
        var output = _context.Out;
        if (parseResult.GetValue(_json))
        {
            output.WriteLine(JsonText.Write(writer => JobJson.WriteList(writer, jobs, incidents)));
            return ExitCodes.Ok;
        }

        if (jobs.Count == 0)
        {
            output.WriteLine($"no jobs (declare them in {ledger.ConfigPath} or add one with 'vigil jobs add')");
            return ExitCodes.Ok;
        }

        var table = new TextTable("NAME", "SCHEDULE", "ZONE", "STATE", "NEXT SLOT", "LAST RUN", "INCIDENTS");
        foreach (var job in jobs)
        {
            table.Add(
                job.Pending == ConfigPending.None ? job.Name : job.Name + " *",
                ScheduleCell(job),
                TimeText.OrNone(job.Definition?.TimeZone),
                job.StateWord,
                TimeText.Instant(job.NextSlot),
                LastRunCell(job.LastRun),
                incidents.GetValueOrDefault(job.Name).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        table.Write(output);
        if (incidents.GetValueOrDefault(string.Empty) is > 0 and var node)
        {
            output.WriteLine();
            output.WriteLine($"{node} node-wide incident(s) open (crash loop, scheduler stalled): 'vigil incidents list'");
        }

        if (jobs.Any(j => j.Pending != ConfigPending.None))
        {
            output.WriteLine();
            output.WriteLine($"* {ledger.ConfigPath} differs from the ledger for the jobs marked *; the daemon applies it when it starts or reloads ('vigil jobs show NAME' says how)");
        }

        return ExitCodes.Ok;
    }

    private static string ScheduleCell(JobView job) =>
        job.Schedule is { } schedule ? $"{schedule.Text} ({schedule.Describe()})"
        : job.Definition is { } definition ? $"{definition.Schedule} (invalid: {job.Problem})"
        : $"? ({job.Problem})";

    /// <summary>When the last run ended (or started, or was due) and its state: an interrupted run reads as interrupted.</summary>
    private static string LastRunCell(RunRecord? run) =>
        run is null ? TimeText.None : $"{TimeText.Instant(run.FinishedAt ?? run.StartedAt ?? run.Slot)} {run.State.Name()}";
}
