using System.CommandLine;
using System.Globalization;
using Vigil.Operations.Json;
using Vigil.Cli.Operating;
using Vigil.Operations;
using Vigil.Cli.Output;
using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil jobs show NAME</c>: the definition with its policies merged, the next slots and the last runs.</summary>
internal sealed class JobsShowCommand : Command
{
    private const int NextSlots = 5;
    private const int LastRuns = 10;

    private readonly CliContext _context;
    private readonly Argument<string> _name = OperatorOptions.JobName();
    private readonly Option<bool> _json = OperatorOptions.Json("one job object with its definition, next_slots and runs");

    /// <summary>Creates the command.</summary>
    public JobsShowCommand(CliContext context)
        : base("show", $"Show a job: its definition with every policy (defaults merged), its next {NextSlots} slots and its last {LastRuns} runs. "
            + "Next slots are shown in UTC and in the job's zone; other times are UTC (ISO-8601)")
    {
        _context = context;
        Arguments.Add(_name);
        Options.Add(_json);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        await using var ledger = await CliLedger.OpenAsync(parseResult, _context, cancellationToken);
        var job = await JobCatalog.FindAsync(ledger, parseResult.GetValue(_name)!, cancellationToken);
        var runs = await ledger.Store.ListRunsAsync(new RunQuery { Job = job.Name, Limit = LastRuns }, cancellationToken);
        var next = job.Active && job.Schedule is { } schedule ? ScheduleInputs.NextFires(schedule, ledger.Now, NextSlots) : [];

        if (parseResult.GetValue(_json))
        {
            _context.Out.WriteLine(JsonText.Write(writer => JobJson.WriteDetail(writer, job, next, runs)));
            return ExitCodes.Ok;
        }

        WriteText(job, ledger.ConfigPath, next, runs);
        return ExitCodes.Ok;
    }

    private void WriteText(JobView job, string configPath, List<DateTimeOffset> next, IReadOnlyList<RunRecord> runs)
    {
        var output = _context.Out;
        var fields = new TextTable();
        fields.Add("name:", job.Name);
        fields.Add("source:", job.Source == JobSource.Config ? $"config ({configPath})" : "api (vigil jobs add)");
        fields.Add("state:", job.StateWord);
        if (job.Pending != ConfigPending.None)
        {
            fields.Add("config:", PendingText(job));
        }

        if (job.Problem is not null)
        {
            fields.Add("problem:", job.Problem);
        }

        if (job.Definition is { } definition)
        {
            AddDefinition(fields, definition, job.Schedule);
        }

        fields.Add("created:", TimeText.Instant(job.Stored?.CreatedAt));
        fields.Add("updated:", TimeText.Instant(job.Stored?.UpdatedAt));
        if (job.Removed)
        {
            fields.Add("removed:", TimeText.Instant(job.Stored?.RemovedAt));
        }

        fields.Write(output);

        output.WriteLine();
        if (next.Count == 0)
        {
            output.WriteLine(job.Active ? "next slots: none (the schedule has no more)" : $"next slots: none (the job is {job.StateWord})");
        }
        else
        {
            output.WriteLine("next slots:");
            var slots = new TextTable();
            foreach (var slot in next)
            {
                slots.Add(Iso.Format(slot), Iso.FormatLocal(slot, job.Schedule!.Zone));
            }

            slots.Write(output, "  ");
        }

        output.WriteLine();
        if (runs.Count == 0)
        {
            output.WriteLine("last runs: none");
        }
        else
        {
            output.WriteLine($"last runs (newest first, at most {LastRuns}):");
            RunTable.Write(output, runs, withJob: false, "  ");
        }
    }

    private static void AddDefinition(TextTable fields, JobDefinition definition, Schedule? schedule)
    {
        fields.Add("schedule:", definition.Schedule);
        if (schedule is not null)
        {
            fields.Add("meaning:", schedule.Describe());
            if (schedule.Expression != schedule.Text.Trim())
            {
                fields.Add("compiled:", schedule.Expression);
            }
        }

        fields.Add("timezone:", definition.TimeZone);
        if (definition.Anchor is { } anchor)
        {
            fields.Add("anchor:", Iso.Format(anchor));
        }

        AddAction(fields, definition.Action);

        var p = definition.Policies;
        fields.Add("timeout:", Duration.Format(p.Timeout));
        fields.Add("idle_timeout:", Off(p.IdleTimeout));
        fields.Add("kill_grace:", Duration.Format(p.KillGrace));
        fields.Add("on_interrupt:", p.OnInterrupt == InterruptPolicy.Retry ? "retry" : "record");
        fields.Add("on_stop:", !definition.Action.CanDetach ? $"drain ({definition.Action.Kind} actions always drain)"
            : p.OnStop == StopPolicy.Detach ? "detach" : "drain");
        fields.Add("retry:", string.Create(
            CultureInfo.InvariantCulture,
            $"max_attempts {p.Retry.MaxAttempts}, backoff {Duration.Format(p.Retry.Backoff)}, window {Duration.Format(p.Retry.Window)}, on [{string.Join(", ", p.Retry.On.Select(s => s.Name()))}]"));
        fields.Add("overlap:", p.Overlap.ToString().ToLowerInvariant());
        fields.Add("catch_up:", p.CatchUp == CatchUpPolicy.All
            ? string.Create(CultureInfo.InvariantCulture, $"all (max_catch_up {p.MaxCatchUp})")
            : p.CatchUp.ToString().ToLowerInvariant());
        fields.Add("grace:", p.Grace is { } grace
            ? Duration.Format(grace)
            : $"{Duration.Format(p.EffectiveGrace(schedule?.NominalPeriod))} (half the period, within 2m-2h)");
        fields.Add("after:", p.After.Count == 0 ? TimeText.None : string.Join(", ", p.After));
        fields.Add("session:", TimeText.OrNone(p.Session));
        fields.Add("expect:", $"max_silence {Off(p.Expect.MaxSilence)}, empty_streak {(p.Expect.EmptyStreak is { } streak ? streak.ToString(CultureInfo.InvariantCulture) : "off")}");
        fields.Add("alert_after_failures:", p.AlertAfterFailures.ToString(CultureInfo.InvariantCulture));
        fields.Add("pause_after_failures:", p.PauseAfterFailures is { } pause ? pause.ToString(CultureInfo.InvariantCulture) : "off");
    }

    private static void AddAction(TextTable fields, ActionSpec action)
    {
        switch (action)
        {
            case CommandAction command:
                fields.Add("run:", command.Shell ? $"sh -c {ArgvText.Quote(command.Argv[0])}" : ArgvText.Join(command.Argv));
                fields.Add("cwd:", TimeText.OrNone(command.Cwd));
                foreach (var (name, value) in command.Env.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    fields.Add("env:", $"{name}={value}");
                }

                break;
            case HttpAction http:
                fields.Add("run:", $"http {http.Method} {http.Url}");
                foreach (var (name, value) in http.Headers.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
                {
                    fields.Add("header:", $"{name}: {value}");
                }

                if (http.Body is not null)
                {
                    fields.Add("body:", http.Body);
                }

                if (http.ExpectStatus.Count > 0)
                {
                    fields.Add("expect_status:", string.Join(", ", http.ExpectStatus.Select(s => s.ToString(CultureInfo.InvariantCulture))));
                }

                break;
            case HandlerAction handler:
                fields.Add("run:", $"handler {handler.Name}");
                break;
            default:
                fields.Add("run:", action.Kind);
                break;
        }
    }

    private static string PendingText(JobView job) => job.Pending switch
    {
        ConfigPending.Add => "declared in the config, not applied yet (the daemon adds it when it starts or reloads)",
        ConfigPending.Change => $"the config declares a different {string.Join(", ", job.PendingFields)} (applied when the daemon starts or reloads)",
        ConfigPending.Replace => "the config declares this name; its definition replaces this API job when the daemon starts or reloads",
        ConfigPending.Remove => "no longer declared; the daemon marks it removed when it starts or reloads",
        _ => string.Empty,
    };

    private static string Off(TimeSpan? value) => value is { } v ? Duration.Format(v) : "off";
}
