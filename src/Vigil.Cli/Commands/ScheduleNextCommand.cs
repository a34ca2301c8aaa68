using System.CommandLine;
using System.Globalization;
using Vigil.Operations.Json;
using Vigil.Scheduling;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil schedule next EXPR</c>: the next fires of a schedule, and <c>--batch</c>, the same question
/// for many schedules as JSON lines on stdin.
/// </summary>
internal sealed class ScheduleNextCommand : Command
{
    private const int DefaultCount = 5;

    private readonly CliContext _context;
    private readonly Argument<string?> _expression = ScheduleOptions.Expression(ArgumentArity.ZeroOrOne);
    private readonly Option<string?> _timeZone = ScheduleOptions.TimeZone();
    private readonly Option<int> _count = new("-n", "--count")
    {
        Description = $"How many fires to list (1-{ScheduleOptions.MaxCount})",
        HelpName = "N",
        DefaultValueFactory = _ => DefaultCount,
    };

    private readonly Option<string?> _from = ScheduleOptions.From();
    private readonly Option<string?> _anchor = ScheduleOptions.Anchor();
    private readonly Option<bool> _json = ScheduleOptions.Json();
    private readonly Option<bool> _batch = new("--batch")
    {
        Description = "Read JSON lines {\"expr\":..,\"tz\":..,\"from\":..,\"n\":..} from stdin and answer each with one line "
            + "{\"next\":[..]} or {\"error\":\"..\"}. \"from\" is required and exclusive, \"tz\" defaults to UTC, "
            + "\"n\" to 5, \"anchor\" is optional; blank lines are skipped. Takes no EXPR or other options",
    };

    /// <summary>Creates the command.</summary>
    public ScheduleNextCommand(CliContext context)
        : base("next", "List the next fires of a schedule, in UTC and in its time zone")
    {
        _context = context;
        Arguments.Add(_expression);
        Options.Add(_timeZone);
        Options.Add(_count);
        Options.Add(_from);
        Options.Add(_anchor);
        Options.Add(_json);
        Options.Add(_batch);
        SetAction(Execute);
    }

    private int Execute(ParseResult parseResult)
    {
        var expression = parseResult.GetValue(_expression);
        if (parseResult.GetValue(_batch))
        {
            Option[] perLine = [_timeZone, _count, _from, _anchor, _json];
            if (expression is not null || perLine.Any(option => parseResult.GetResult(option) is { Implicit: false }))
            {
                throw new UsageException("--batch reads every request from stdin; it takes no EXPR and no other options");
            }

            using var batch = new ScheduleBatch(_context);
            return batch.Run();
        }

        if (expression is null)
        {
            throw new UsageException("missing EXPR, the schedule to preview (or use --batch to read JSON lines from stdin)");
        }

        var count = parseResult.GetValue(_count);
        if (ScheduleInputs.CheckCount(count, "-n") is { } countError)
        {
            throw new UsageException(countError);
        }

        var zone = ScheduleInputs.ResolveZone(parseResult.GetValue(_timeZone), _context);
        var from = ScheduleInputs.ResolveInstant(parseResult.GetValue(_from), "--from", zone) ?? _context.Time.GetUtcNow();
        var anchor = ScheduleInputs.ResolveInstant(parseResult.GetValue(_anchor), "--anchor", zone);
        var schedule = ScheduleInputs.ParseSchedule(expression, zone, anchor);
        var fires = ScheduleInputs.NextFires(schedule, from, count);

        if (parseResult.GetValue(_json))
        {
            WriteJson(schedule, fires);
        }
        else
        {
            WriteText(schedule, from, fires);
        }

        return ExitCodes.Ok;
    }

    private void WriteText(Schedule schedule, DateTimeOffset from, List<DateTimeOffset> fires)
    {
        var output = _context.Out;
        if (fires.Count == 0)
        {
            output.WriteLine($"no fires after {Iso.Format(from)}");
            return;
        }

        foreach (var fire in fires)
        {
            var local = TimeZoneInfo.ConvertTime(fire, schedule.Zone);
            output.Write(Iso.Format(fire));
            output.Write("  ");
            output.Write(Iso.FormatLocal(fire, schedule.Zone));
            output.Write("  ");
            output.WriteLine(local.ToString("ddd", CultureInfo.InvariantCulture));
        }
    }

    private void WriteJson(Schedule schedule, List<DateTimeOffset> fires)
    {
        _context.Out.WriteLine(JsonText.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("expr", schedule.Text);
            writer.WriteString("compiled", schedule.Expression);
            writer.WriteString("timezone", schedule.Zone.Id);
            writer.WriteStartArray("next");
            foreach (var fire in fires)
            {
                writer.WriteStringValue(Iso.Format(fire));
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }));
    }
}
