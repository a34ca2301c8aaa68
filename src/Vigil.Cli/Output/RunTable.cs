using Vigil.Ledger;

namespace Vigil.Cli.Output;

/// <summary>The runs table <c>runs list</c>, <c>runs show</c> and <c>jobs show</c> print.</summary>
internal static class RunTable
{
    /// <summary>Writes one row per run; <paramref name="withJob"/> adds the job column.</summary>
    public static void Write(TextWriter output, IEnumerable<RunRecord> runs, bool withJob, string indent = "")
    {
        var table = withJob
            ? new TextTable("ID", "JOB", "SLOT", "ATTEMPT", "STATE", "TRIGGER", "STARTED", "DURATION", "EXIT", "REASON")
            : new TextTable("ID", "SLOT", "ATTEMPT", "STATE", "TRIGGER", "STARTED", "DURATION", "EXIT", "REASON");
        foreach (var run in runs)
        {
            List<string> cells = [TimeText.OrNone(run.Id)];
            if (withJob)
            {
                cells.Add(run.Job);
            }

            cells.Add(TimeText.Instant(run.Slot));
            cells.Add(TimeText.OrNone(run.Attempt));
            cells.Add(run.State.Name());
            cells.Add(run.Trigger.Name());
            cells.Add(TimeText.Instant(run.StartedAt));
            cells.Add(TimeText.Duration(run.Duration));
            cells.Add(TimeText.OrNone(run.ExitCode));
            cells.Add(TimeText.OrNone(run.Reason));
            table.Add([.. cells]);
        }

        table.Write(output, indent);
    }
}
