using System.CommandLine;
using System.Globalization;
using Vigil.Operations.Json;
using Vigil.Cli.Operating;
using Vigil.Operations;
using Vigil.Cli.Output;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil runs show RUN</c>: every field of a run, the attempts of its slot and why it ended as it did.</summary>
internal sealed class RunsShowCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _run = OperatorOptions.RunId();
    private readonly Option<bool> _json = OperatorOptions.Json("the run object with an attempts array");

    /// <summary>Creates the command.</summary>
    public RunsShowCommand(CliContext context)
        : base("show", "Show a run: every ledger field, the reason, and every attempt of its slot. Times are UTC (ISO-8601)")
    {
        _context = context;
        Arguments.Add(_run);
        Options.Add(_json);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var id = OperatorOptions.ParseRunId(parseResult.GetValue(_run)!);
        await using var ledger = await CliLedger.OpenAsync(parseResult, _context, cancellationToken);
        var run = await ledger.GetRunAsync(id, cancellationToken);
        var attempts = await ledger.Store.ListAttemptsAsync(run.Job, run.Slot, cancellationToken);
        var output = await ledger.Store.GetRunOutputAsync(id, cancellationToken);

        if (parseResult.GetValue(_json))
        {
            _context.Out.WriteLine(JsonText.Write(writer => RunJson.WriteDetail(writer, run, attempts, output)));
            return ExitCodes.Ok;
        }

        var fields = new TextTable();
        fields.Add("id:", run.Id.ToString(CultureInfo.InvariantCulture));
        fields.Add("job:", run.Job);
        fields.Add("slot:", Iso.Format(run.Slot));
        fields.Add("attempt:", string.Create(CultureInfo.InvariantCulture, $"{run.Attempt} (of {attempts.Count} for this slot)"));
        fields.Add("state:", run.State.Name());
        fields.Add("reason:", TimeText.OrNone(run.Reason));
        fields.Add("trigger:", run.Trigger.Name());
        fields.Add("created:", Iso.Format(run.CreatedAt));
        fields.Add("not before:", Exact(run.NotBefore));
        fields.Add("started:", Exact(run.StartedAt));
        fields.Add("finished:", Exact(run.FinishedAt));
        fields.Add("duration:", TimeText.Duration(run.Duration));
        fields.Add("deadline:", Exact(run.Deadline));
        fields.Add("exit code:", TimeText.OrNone(run.ExitCode));
        fields.Add("session:", TimeText.OrNone(run.Session));
        fields.Add("node:", TimeText.OrNone(run.Node));
        fields.Add("incarnation:", TimeText.OrNone(run.IncarnationId));
        fields.Add("adopted:", run.AdoptedBy is { } adopter
            ? string.Create(CultureInfo.InvariantCulture, $"{Exact(run.AdoptedAt)} by incarnation {adopter} (its command outlived the daemon that started it)")
            : "no");
        fields.Add("resumed:", run.Resumed ? "yes (an earlier attempt of this slot was interrupted)" : "no");
        fields.Add("draining:", run.Draining ? "yes (it was running when a drain began)" : "no");
        fields.Add("result:", TimeText.OrNone(run.ResultStatus));
        fields.Add("summary:", TimeText.OrNone(run.Summary));
        fields.Add("tokens:", run.TokensIn is null && run.TokensOut is null ? TimeText.None : $"in {TimeText.OrNone(run.TokensIn)}, out {TimeText.OrNone(run.TokensOut)}");
        fields.Add("output:", output is null ? "none captured" : string.Create(CultureInfo.InvariantCulture, $"{output.Length} characters ('vigil runs logs {run.Id}')"));
        fields.Write(_context.Out);

        _context.Out.WriteLine();
        _context.Out.WriteLine("attempts of this slot:");
        RunTable.Write(_context.Out, attempts, withJob: false, "  ");
        return ExitCodes.Ok;
    }

    private static string Exact(DateTimeOffset? instant) => instant is { } value ? Iso.Format(value) : TimeText.None;
}
