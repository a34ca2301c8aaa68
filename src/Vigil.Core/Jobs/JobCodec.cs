using System.Text.Json.Nodes;
using Vigil.Ledger;

namespace Vigil.Jobs;

/// <summary>
/// Serializes job definitions to the JSON every store keeps, so that the CLI can read jobs from the
/// ledger without the daemon and every backend stores the same text.
/// </summary>
public static class JobCodec
{
    /// <summary>The definition as compact JSON with snake_case keys, the names the config file uses.</summary>
    public static string Serialize(JobDefinition job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var p = job.Policies;
        var root = new JsonObject
        {
            ["name"] = job.Name,
            ["schedule"] = job.Schedule,
            ["timezone"] = job.TimeZone,
            ["anchor"] = job.Anchor is { } anchor ? Scheduling.Iso.Format(anchor) : null,
            ["enabled"] = job.Enabled,
            ["source"] = job.Source == JobSource.Config ? "config" : "api",
            ["run"] = Action(job.Action),
            ["timeout"] = Duration(p.Timeout),
            ["idle_timeout"] = p.IdleTimeout is { } idle ? Duration(idle) : null,
            ["kill_grace"] = Duration(p.KillGrace),
            ["on_interrupt"] = p.OnInterrupt == InterruptPolicy.Retry ? "retry" : "record",
            ["retry"] = new JsonObject
            {
                ["max_attempts"] = p.Retry.MaxAttempts,
                ["backoff"] = Duration(p.Retry.Backoff),
                ["window"] = Duration(p.Retry.Window),
                ["on"] = new JsonArray([.. p.Retry.On.Select(s => (JsonNode)s.Name())]),
            },
            ["overlap"] = p.Overlap.ToString().ToLowerInvariant(),
            ["catch_up"] = p.CatchUp.ToString().ToLowerInvariant(),
            ["max_catch_up"] = p.MaxCatchUp,
            ["grace"] = p.Grace is { } grace ? Duration(grace) : null,
            ["after"] = new JsonArray([.. p.After.Select(a => (JsonNode)a)]),
            ["session"] = p.Session,
            ["expect"] = new JsonObject
            {
                ["max_silence"] = p.Expect.MaxSilence is { } silence ? Duration(silence) : null,
                ["empty_streak"] = p.Expect.EmptyStreak,
            },
            ["alert_after_failures"] = p.AlertAfterFailures,
            ["pause_after_failures"] = p.PauseAfterFailures,
        };
        return root.ToJsonString();
    }

    /// <summary>Reads a definition written by <see cref="Serialize"/>.</summary>
    public static JobDefinition Deserialize(string json)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("empty job definition");
        var retry = root["retry"]!.AsObject();
        var expect = root["expect"]!.AsObject();
        return new JobDefinition
        {
            Name = (string)root["name"]!,
            Schedule = (string)root["schedule"]!,
            TimeZone = (string)root["timezone"]!,
            Anchor = ReadInstant(root["anchor"]),
            Enabled = (bool)root["enabled"]!,
            Source = (string?)root["source"] == "api" ? JobSource.Api : JobSource.Config,
            Action = ReadAction(root["run"]!.AsObject()),
            Policies = new JobPolicies
            {
                Timeout = ReadDuration(root["timeout"])!.Value,
                IdleTimeout = ReadDuration(root["idle_timeout"]),
                KillGrace = ReadDuration(root["kill_grace"])!.Value,
                OnInterrupt = (string?)root["on_interrupt"] == "record" ? InterruptPolicy.Record : InterruptPolicy.Retry,
                Retry = new RetryPolicy
                {
                    MaxAttempts = (int)retry["max_attempts"]!,
                    Backoff = ReadDuration(retry["backoff"])!.Value,
                    Window = ReadDuration(retry["window"])!.Value,
                    On = [.. retry["on"]!.AsArray().Select(n => RunStates.TryParse((string?)n, out var s) ? s : RunState.Interrupted)],
                },
                Overlap = Enum.Parse<OverlapPolicy>((string)root["overlap"]!, ignoreCase: true),
                CatchUp = Enum.Parse<CatchUpPolicy>((string)root["catch_up"]!, ignoreCase: true),
                MaxCatchUp = (int)root["max_catch_up"]!,
                Grace = ReadDuration(root["grace"]),
                After = [.. root["after"]!.AsArray().Select(n => (string)n!)],
                Session = (string?)root["session"],
                Expect = new ExpectPolicy
                {
                    MaxSilence = ReadDuration(expect["max_silence"]),
                    EmptyStreak = (int?)expect["empty_streak"],
                },
                AlertAfterFailures = (int)root["alert_after_failures"]!,
                PauseAfterFailures = (int?)root["pause_after_failures"],
            },
        };
    }

    private static JsonObject Action(ActionSpec action) => action switch
    {
        CommandAction c => new JsonObject
        {
            ["command"] = new JsonArray([.. c.Argv.Select(a => (JsonNode)a)]),
            ["cwd"] = c.Cwd,
            ["env"] = Map(c.Env),
            ["shell"] = c.Shell,
        },
        HttpAction h => new JsonObject
        {
            ["http"] = new JsonObject
            {
                ["method"] = h.Method,
                ["url"] = h.Url,
                ["headers"] = Map(h.Headers),
                ["body"] = h.Body,
                ["expect_status"] = new JsonArray([.. h.ExpectStatus.Select(s => (JsonNode)s)]),
            },
        },
        HandlerAction handler => new JsonObject { ["handler"] = handler.Name },
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    private static ActionSpec ReadAction(JsonObject run)
    {
        if (run["command"] is JsonArray argv)
        {
            return new CommandAction
            {
                Argv = [.. argv.Select(a => (string)a!)],
                Cwd = (string?)run["cwd"],
                Env = ReadMap(run["env"]),
                Shell = (bool?)run["shell"] ?? false,
            };
        }

        if (run["http"] is JsonObject http)
        {
            return new HttpAction
            {
                Method = (string?)http["method"] ?? "GET",
                Url = (string)http["url"]!,
                Headers = ReadMap(http["headers"]),
                Body = (string?)http["body"],
                ExpectStatus = http["expect_status"] is JsonArray codes ? [.. codes.Select(c => (int)c!)] : [],
            };
        }

        return new HandlerAction { Name = (string)run["handler"]! };
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> map)
    {
        var result = new JsonObject();
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result[key] = value;
        }

        return result;
    }

    private static Dictionary<string, string> ReadMap(JsonNode? node) =>
        node is JsonObject map ? map.ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal) : [];

    private static string Duration(TimeSpan value) => Scheduling.Duration.Format(value);

    private static DateTimeOffset? ReadInstant(JsonNode? node) =>
        node is null ? null
        : Scheduling.Iso.TryParse((string)node!, TimeZoneInfo.Utc, out var instant) ? instant
        : throw new FormatException($"invalid instant \"{(string)node!}\"");

    private static TimeSpan? ReadDuration(JsonNode? node) =>
        node is null ? null : Scheduling.Duration.Parse((string)node!);
}
