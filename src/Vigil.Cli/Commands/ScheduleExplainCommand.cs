using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Vigil.Operations.Json;
using Vigil.Scheduling;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil schedule explain EXPR</c>: what a schedule compiles to, what it means, its next fires in
/// its zone and in UTC, and a warning for every fire a daylight-saving transition moves.
/// </summary>
internal sealed class ScheduleExplainCommand : Command
{
    private const int FireCount = 5;

    private readonly CliContext _context;
    private readonly Argument<string?> _expression = ScheduleOptions.Expression(ArgumentArity.ExactlyOne);
    private readonly Option<string?> _timeZone = ScheduleOptions.TimeZone();
    private readonly Option<string?> _from = ScheduleOptions.From();
    private readonly Option<string?> _anchor = ScheduleOptions.Anchor();
    private readonly Option<bool> _json = ScheduleOptions.Json();

    /// <summary>Creates the command.</summary>
    public ScheduleExplainCommand(CliContext context)
        : base("explain", $"Show what a schedule compiles to, what it means, its next {FireCount} fires and any daylight-saving effects")
    {
        _context = context;
        Arguments.Add(_expression);
        Options.Add(_timeZone);
        Options.Add(_from);
        Options.Add(_anchor);
        Options.Add(_json);
        SetAction(Execute);
    }

    private int Execute(ParseResult parseResult)
    {
        var zone = ScheduleInputs.ResolveZone(parseResult.GetValue(_timeZone), _context);
        var from = ScheduleInputs.ResolveInstant(parseResult.GetValue(_from), "--from", zone) ?? _context.Time.GetUtcNow();
        var anchor = ScheduleInputs.ResolveInstant(parseResult.GetValue(_anchor), "--anchor", zone);
        var schedule = ScheduleInputs.ParseSchedule(parseResult.GetValue(_expression)!, zone, anchor);
        var fires = ScheduleInputs.NextFires(schedule, from, FireCount);
        var warnings = new List<string>();
        foreach (var fire in fires)
        {
            if (DstWarnings.For(schedule, fire) is { } warning)
            {
                warnings.Add(warning);
            }
        }

        if (parseResult.GetValue(_json))
        {
            WriteJson(schedule, from, fires, warnings);
        }
        else
        {
            WriteText(schedule, from, fires, warnings);
        }

        return ExitCodes.Ok;
    }

    private void WriteText(Schedule schedule, DateTimeOffset from, List<DateTimeOffset> fires, List<string> warnings)
    {
        var output = _context.Out;
        output.WriteLine($"schedule:   {schedule.Text}");
        output.WriteLine($"compiled:   {schedule.Expression}");
        output.WriteLine($"kind:       {ScheduleInputs.KindName(schedule.Kind)}");
        output.WriteLine($"meaning:    {schedule.Describe()}");
        output.WriteLine($"time zone:  {schedule.Zone.Id}");
        if (fires.Count == 0)
        {
            output.WriteLine($"next fires: none after {Iso.Format(from)}");
        }
        else
        {
            output.WriteLine($"next fires after {Iso.Format(from)} ({schedule.Zone.Id}, then UTC):");
            foreach (var fire in fires)
            {
                var local = TimeZoneInfo.ConvertTime(fire, schedule.Zone);
                var day = local.ToString("ddd", CultureInfo.InvariantCulture);
                output.WriteLine($"  {day} {Iso.FormatLocal(fire, schedule.Zone)}  {Iso.Format(fire)}");
            }
        }

        foreach (var warning in warnings)
        {
            output.WriteLine("warning: " + warning);
        }
    }

    private void WriteJson(Schedule schedule, DateTimeOffset from, List<DateTimeOffset> fires, List<string> warnings)
    {
        _context.Out.WriteLine(JsonText.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("expr", schedule.Text);
            writer.WriteString("compiled", schedule.Expression);
            writer.WriteString("kind", ScheduleInputs.KindName(schedule.Kind));
            writer.WriteString("description", schedule.Describe());
            writer.WriteString("timezone", schedule.Zone.Id);
            writer.WriteString("from", Iso.Format(from));
            writer.WriteStartArray("next");
            foreach (var fire in fires)
            {
                WriteFire(writer, schedule, fire);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("warnings");
            foreach (var warning in warnings)
            {
                writer.WriteStringValue(warning);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }));
    }

    private static void WriteFire(Utf8JsonWriter writer, Schedule schedule, DateTimeOffset fire)
    {
        writer.WriteStartObject();
        writer.WriteString("utc", Iso.Format(fire));
        writer.WriteString("local", Iso.FormatLocal(fire, schedule.Zone));
        writer.WriteString("dst", DstWarnings.NoteName(schedule.GetDstNote(fire)));
        writer.WriteEndObject();
    }
}
