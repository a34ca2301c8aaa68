using System.Text.Json;
using Vigil.Ledger;

namespace Vigil.Jobs;

/// <summary>Reading definitions back.</summary>
/// <remarks>
/// Reads through <see cref="JsonDocument"/> (pooled buffers, no per-object dictionaries): the engine
/// reads every job's definition when it starts, a million of them on a big node. Every malformed
/// definition fails with a <see cref="JsonException"/>, <see cref="FormatException"/>,
/// <see cref="InvalidOperationException"/> or <see cref="ArgumentException"/>.
/// </remarks>
public static partial class JobCodec
{
    /// <summary>Reads a definition written by <see cref="Serialize"/>.</summary>
    public static JobDefinition Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Null)
        {
            throw new FormatException("empty job definition");
        }

        var retry = Object(root, "retry");
        var expect = Object(root, "expect");
        return new JobDefinition
        {
            Name = RequiredString(root, "name"),
            Schedule = RequiredString(root, "schedule"),
            TimeZone = RequiredString(root, "timezone"),
            Anchor = ReadInstant(Optional(root, "anchor")),
            Enabled = Required(root, "enabled").GetBoolean(),
            Source = OptionalString(root, "source") == "api" ? JobSource.Api : JobSource.Config,
            Action = ReadAction(Object(root, "run")),
            Policies = new JobPolicies
            {
                Timeout = RequiredDuration(root, "timeout"),
                IdleTimeout = ReadDuration(Optional(root, "idle_timeout")),
                KillGrace = RequiredDuration(root, "kill_grace"),
                OnInterrupt = OptionalString(root, "on_interrupt") == "record" ? InterruptPolicy.Record : InterruptPolicy.Retry,
                Retry = new RetryPolicy
                {
                    MaxAttempts = Required(retry, "max_attempts").GetInt32(),
                    Backoff = RequiredDuration(retry, "backoff"),
                    Window = RequiredDuration(retry, "window"),
                    On = ReadStates(Array(retry, "on")),
                },
                Overlap = Enum.Parse<OverlapPolicy>(RequiredString(root, "overlap"), ignoreCase: true),
                CatchUp = Enum.Parse<CatchUpPolicy>(RequiredString(root, "catch_up"), ignoreCase: true),
                MaxCatchUp = Required(root, "max_catch_up").GetInt32(),
                Grace = ReadDuration(Optional(root, "grace")),
                After = ReadStrings(Array(root, "after")),
                Session = OptionalString(root, "session"),
                Expect = new ExpectPolicy
                {
                    MaxSilence = ReadDuration(Optional(expect, "max_silence")),
                    EmptyStreak = Optional(expect, "empty_streak")?.GetInt32(),
                },
                AlertAfterFailures = Required(root, "alert_after_failures").GetInt32(),
                PauseAfterFailures = Optional(root, "pause_after_failures")?.GetInt32(),
            },
        };
    }

    private static ActionSpec ReadAction(JsonElement run)
    {
        if (Optional(run, "command") is { ValueKind: JsonValueKind.Array } argv)
        {
            return new CommandAction
            {
                Argv = ReadStrings(argv),
                Cwd = OptionalString(run, "cwd"),
                Env = ReadMap(Optional(run, "env")),
                Shell = Optional(run, "shell")?.GetBoolean() ?? false,
            };
        }

        if (Optional(run, "http") is { ValueKind: JsonValueKind.Object } http)
        {
            return new HttpAction
            {
                Method = OptionalString(http, "method") ?? "GET",
                Url = RequiredString(http, "url"),
                Headers = ReadMap(Optional(http, "headers")),
                Body = OptionalString(http, "body"),
                ExpectStatus = Optional(http, "expect_status") is { ValueKind: JsonValueKind.Array } codes ? ReadInts(codes) : [],
            };
        }

        return new HandlerAction { Name = RequiredString(run, "handler") };
    }

    /// <summary>The property, or null when it is missing or JSON null.</summary>
    private static JsonElement? Optional(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static JsonElement Required(JsonElement parent, string name) =>
        Optional(parent, name) ?? throw new FormatException($"job definition: \"{name}\" is missing");

    private static JsonElement Object(JsonElement parent, string name)
    {
        var value = Required(parent, name);
        return value.ValueKind == JsonValueKind.Object ? value : throw new FormatException($"job definition: \"{name}\" is not an object");
    }

    private static JsonElement Array(JsonElement parent, string name)
    {
        var value = Required(parent, name);
        return value.ValueKind == JsonValueKind.Array ? value : throw new FormatException($"job definition: \"{name}\" is not an array");
    }

    private static string? OptionalString(JsonElement parent, string name) => Optional(parent, name)?.GetString();

    private static string RequiredString(JsonElement parent, string name) => Required(parent, name).GetString()!;

    private static TimeSpan RequiredDuration(JsonElement parent, string name) => Scheduling.Duration.Parse(RequiredString(parent, name));

    private static string[] ReadStrings(JsonElement array)
    {
        var values = new string[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            values[i++] = item.GetString() ?? throw new FormatException("job definition: null in a list of strings");
        }

        return values;
    }

    private static int[] ReadInts(JsonElement array)
    {
        var values = new int[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            values[i++] = item.GetInt32();
        }

        return values;
    }

    private static RunState[] ReadStates(JsonElement array)
    {
        var states = new RunState[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            states[i++] = RunStates.TryParse(item.ValueKind == JsonValueKind.Null ? null : item.GetString(), out var state) ? state : RunState.Interrupted;
        }

        return states;
    }

    private static Dictionary<string, string> ReadMap(JsonElement? element)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element is { ValueKind: JsonValueKind.Object } value)
        {
            foreach (var property in value.EnumerateObject())
            {
                map[property.Name] = property.Value.GetString()!;
            }
        }

        return map;
    }

    private static DateTimeOffset? ReadInstant(JsonElement? element)
    {
        if (element is not { } value)
        {
            return null;
        }

        var text = value.GetString()!;
        return Scheduling.Iso.TryParse(text, TimeZoneInfo.Utc, out var instant) ? instant : throw new FormatException($"invalid instant \"{text}\"");
    }

    private static TimeSpan? ReadDuration(JsonElement? element) =>
        element is { } value ? Scheduling.Duration.Parse(value.GetString()!) : null;
}
