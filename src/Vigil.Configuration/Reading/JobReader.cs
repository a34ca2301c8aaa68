using Vigil.Configuration.Yaml;
using Vigil.Jobs;
using Vigil.Scheduling;

namespace Vigil.Configuration.Reading;

/// <summary>What every job inherits from the top of the file.</summary>
internal sealed record JobContext(
    string DefaultTimeZoneId,
    TimeZoneInfo DefaultZone,
    JobPolicies Defaults,
    IReadOnlyList<YamlScalar>? DefaultAfter,
    string ConfigDirectory);

/// <summary>
/// One entry of <c>jobs:</c>. <see cref="Definition"/> is null when the job had errors; the name and
/// the <c>after:</c> references are kept anyway so that other jobs' references can still be checked.
/// </summary>
internal sealed record DeclaredJob(string Name, YamlScalar Key, JobDefinition? Definition, IReadOnlyList<YamlScalar> After);

/// <summary>Reads one job: its schedule, zone, action and policies (built-in ← defaults ← job).</summary>
internal static class JobReader
{
    private static readonly IReadOnlyList<string> ScheduleKeys = ["schedule", "every", "at"];
    private static readonly IReadOnlyList<string> OwnKeys = ["schedule", "every", "at", "anchor", "timezone", "enabled", "run"];
    private static readonly IReadOnlyList<string> AllKeys = [.. OwnKeys, .. PolicyReader.Keys];
    private static readonly IReadOnlyList<string> RunOnlyKeys = ["command", "http", "handler", "cwd", "env", "shell"];

    public static DeclaredJob Read(YamlEntry entry, JobContext context, NodeReader r)
    {
        var errorsBefore = r.Errors.Count;
        var name = entry.Key.Value;
        if (!JobDefinition.IsValidName(name))
        {
            r.Errors.Add(entry.Key, $"job name \"{name}\" is not valid (letters, digits, -, _ and ., starting with a letter or digit, at most 128 characters)");
        }

        if (entry.Value is YamlScalar { IsNull: true })
        {
            r.Errors.Add(entry.Key, $"job \"{name}\" is empty (give it a schedule: and a run:)");
            return new DeclaredJob(name, entry.Key, null, []);
        }

        if (r.Mapping(entry.Value, $"job \"{name}\"") is not { } job)
        {
            return new DeclaredJob(name, entry.Key, null, []);
        }

        YamlEntry? schedule = null, anchor = null, zone = null, enabled = null, run = null;
        var policyEntries = new List<YamlEntry>();
        foreach (var e in job.Entries)
        {
            switch (e.Key.Value)
            {
                case "schedule" or "every" or "at" when schedule is not null:
                    r.Errors.Add(e.Key, $"job \"{name}\" has both {schedule.Key.Value}: and {e.Key.Value}: (use one)");
                    break;
                case "schedule" or "every" or "at":
                    schedule = e;
                    break;
                case "anchor":
                    anchor = e;
                    break;
                case "timezone":
                    zone = e;
                    break;
                case "enabled":
                    enabled = e;
                    break;
                case "run":
                    run = e;
                    break;
                case var key when PolicyReader.Keys.Contains(key):
                    policyEntries.Add(e);
                    break;
                case var key when RunOnlyKeys.Contains(key):
                    r.UnknownKey(e.Key, AllKeys, $"in job \"{name}\"", "it belongs under run:");
                    break;
                default:
                    r.UnknownKey(e.Key, AllKeys, $"in job \"{name}\"");
                    break;
            }
        }

        var (zoneId, zoneInfo) = ReadZone(zone, context, r);
        var anchorAt = ReadAnchor(anchor, zoneInfo, r);
        var scheduleText = schedule is null ? null : ReadScheduleText(schedule, zoneInfo, r);
        if (schedule is null)
        {
            r.Errors.Add(entry.Key, $"job \"{name}\" needs one of schedule:, every: or at:");
        }
        else if (scheduleText is not null)
        {
            if (!Schedule.TryParse(scheduleText, zoneInfo, out var parsed, out var error, anchorAt))
            {
                r.Error(schedule.Value, schedule.Key.Value, error!);
            }
            else if (anchor is not null && parsed!.Kind != ScheduleKind.Every)
            {
                r.Error(anchor.Value, "anchor", "only applies to an every: schedule");
            }
        }

        var isEnabled = true;
        if (enabled is not null && r.TryBool(enabled.Value, "enabled", out var flag))
        {
            isEnabled = flag;
        }

        ActionSpec? action = null;
        if (run is null)
        {
            r.Errors.Add(entry.Key, $"job \"{name}\" has no run: (e.g. run: {{ command: [\"./task.sh\"] }})");
        }
        else
        {
            action = ActionReader.Read(run.Value, context.ConfigDirectory, r);
        }

        var policies = PolicyReader.Apply(context.Defaults, policyEntries, r, out var after);
        after ??= context.DefaultAfter ?? [];
        if (action is { CanDetach: false } && policies.OnStop == StopPolicy.Detach
            && policyEntries.Find(e => e.Key.Value == "on_stop") is { } onStop)
        {
            // A default of detach is fine for every job; asking for it on an action that cannot outlive the daemon is a mistake.
            r.Error(onStop.Value, "on_stop", $"detach applies to command actions only; {action.Kind} actions always drain (use on_stop: drain or leave it out)");
        }

        var definition = r.Errors.Count != errorsBefore || action is null || scheduleText is null
            ? null
            : new JobDefinition
            {
                Name = name,
                Schedule = scheduleText,
                TimeZone = zoneId,
                Anchor = anchorAt,
                Action = action,
                Policies = policies,
                Enabled = isEnabled,
                Source = JobSource.Config,
            };
        return new DeclaredJob(name, entry.Key, definition, after);
    }

    private static (string Id, TimeZoneInfo Zone) ReadZone(YamlEntry? zone, JobContext context, NodeReader r)
    {
        if (zone is null || !r.TryName(zone.Value, "timezone", out var id))
        {
            return (context.DefaultTimeZoneId, context.DefaultZone);
        }

        if (!TimeZones.TryFind(id, out var info, out var error))
        {
            r.Error(zone.Value, "timezone", error!);
            return (context.DefaultTimeZoneId, context.DefaultZone);
        }

        return (id, info);
    }

    private static DateTimeOffset? ReadAnchor(YamlEntry? anchor, TimeZoneInfo zone, NodeReader r)
    {
        if (anchor is null || !r.TryName(anchor.Value, "anchor", out var text))
        {
            return null;
        }

        if (!Iso.TryParse(text, zone, out var instant))
        {
            r.Error(anchor.Value, "anchor", $"\"{text}\" is not an ISO-8601 date-time (e.g. 2026-01-01T00:00:00Z)");
            return null;
        }

        return instant;
    }

    /// <summary>The schedule text the engine reads: as written, <c>every &lt;duration&gt;</c> or <c>at &lt;ISO&gt;</c>.</summary>
    private static string? ReadScheduleText(YamlEntry schedule, TimeZoneInfo zone, NodeReader r)
    {
        var key = schedule.Key.Value;
        if (!r.TryName(schedule.Value, key, out var text))
        {
            return null;
        }

        switch (key)
        {
            case "every":
                if (!Duration.TryParse(text, out var period, out var error))
                {
                    r.Error(schedule.Value, key, error!);
                    return null;
                }

                if (period <= TimeSpan.Zero)
                {
                    r.Error(schedule.Value, key, "must be greater than 0");
                    return null;
                }

                return $"every {text}";
            case "at":
                if (!Iso.TryParse(text, zone, out _))
                {
                    r.Error(schedule.Value, key, $"\"{text}\" is not an ISO-8601 date-time (e.g. 2026-12-01T09:00:00+01:00)");
                    return null;
                }

                return $"at {text}";
            default:
                return text;
        }
    }
}
