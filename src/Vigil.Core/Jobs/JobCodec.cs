using System.Text.Json.Nodes;
using Vigil.Ledger;

namespace Vigil.Jobs;

/// <summary>
/// Serializes job definitions to the JSON every store keeps, so that the CLI can read jobs from the
/// ledger without the daemon and every backend stores the same text.
/// </summary>
public static partial class JobCodec
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
            ["on_stop"] = p.OnStop == StopPolicy.Detach ? "detach" : "drain",
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

    private static JsonObject Map(IReadOnlyDictionary<string, string> map)
    {
        var result = new JsonObject();
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result[key] = value;
        }

        return result;
    }

    private static string Duration(TimeSpan value) => Scheduling.Duration.Format(value);
}
