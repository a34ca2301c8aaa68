using System.Buffers;
using System.Text;
using System.Text.Json;
using Vigil.Ledger;

namespace Vigil.Jobs;

/// <summary>Reading definitions back.</summary>
/// <remarks>
/// One forward pass of a <see cref="Utf8JsonReader"/> over the text (no document, no per-object
/// dictionary, no property look-ups): the engine reads every job's definition when it starts, a
/// million of them on a big node. Unknown keys are skipped. Every malformed definition fails with a
/// <see cref="JsonException"/>, <see cref="FormatException"/>, <see cref="InvalidOperationException"/>
/// or <see cref="ArgumentException"/>.
/// </remarks>
public static partial class JobCodec
{
    /// <summary>Longer than every key the codec writes.</summary>
    private const int MaxKeyLength = 32;

    /// <summary>Reads a definition written by <see cref="Serialize"/>.</summary>
    public static JobDefinition Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, buffer);
            return Deserialize(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads a definition from its UTF-8 JSON, as the store keeps it.</summary>
    /// <exception cref="FormatException">The text is not a definition this version understands.</exception>
    public static JobDefinition Deserialize(ReadOnlySpan<byte> utf8) => Deserialize(utf8, parts: null, knownName: null);

    /// <summary>
    /// Reads a definition, taking its common parts from <paramref name="parts"/> (none copied per
    /// definition) and its name from <paramref name="knownName"/> when the text holds that name.
    /// </summary>
    /// <exception cref="FormatException">The text is not a definition this version understands.</exception>
    internal static JobDefinition Deserialize(ReadOnlySpan<byte> utf8, IDefinitionParts? parts, string? knownName)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType == JsonTokenType.Null)
        {
            throw new FormatException("empty job definition");
        }

        var definition = ReadDefinition(ref reader, parts, knownName);
        if (reader.Read())
        {
            throw new FormatException("job definition: text after the object");
        }

        return definition;
    }

    private static JobDefinition ReadDefinition(ref Utf8JsonReader reader, IDefinitionParts? parts, string? knownName)
    {
        Expect(ref reader, JsonTokenType.StartObject, "the definition");
        string? name = null, schedule = null, timeZone = null, overlap = null, catchUp = null, session = null, anchor = null;
        DurationText? timeout = null, idleTimeout = null, killGrace = null, grace = null;
        bool? enabled = null;
        bool api = false, record = false, drain = false;
        int? maxCatchUp = null, alertAfterFailures = null, pauseAfterFailures = null;
        ActionSpec? action = null;
        RetryPolicy? retry = null;
        ExpectPolicy? expect = null;
        string[]? after = null;
        Span<char> key = stackalloc char[MaxKeyLength];
        while (NextProperty(ref reader, key, out var length))
        {
            switch ((ReadOnlySpan<char>)key[..length])
            {
                case "name": name = Name(ref reader, knownName); break;
                case "schedule": schedule = Text(ref reader, parts); break;
                case "timezone": timeZone = Text(ref reader, parts); break;
                case "anchor": anchor = String(ref reader); break;
                case "enabled": enabled = Bool(ref reader); break;
                case "source": api = Is(ref reader, "api"u8); break;
                case "run": action = ReadAction(ref reader, parts); break;
                case "timeout": timeout = Duration(ref reader); break;
                case "idle_timeout": idleTimeout = Duration(ref reader); break;
                case "kill_grace": killGrace = Duration(ref reader); break;
                case "on_interrupt": record = Is(ref reader, "record"u8); break;
                case "on_stop": drain = Is(ref reader, "drain"u8); break;
                case "retry": retry = ReadRetry(ref reader, parts); break;
                case "overlap": overlap = Text(ref reader, parts); break;
                case "catch_up": catchUp = Text(ref reader, parts); break;
                case "max_catch_up": maxCatchUp = Int(ref reader); break;
                case "grace": grace = Duration(ref reader); break;
                case "after": after = Strings(ref reader, parts); break;
                case "session": session = Text(ref reader, parts); break;
                case "expect": expect = ReadExpect(ref reader, parts); break;
                case "alert_after_failures": alertAfterFailures = Int(ref reader); break;
                case "pause_after_failures": pauseAfterFailures = Int(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        // Checked in the order the fields are written, so a definition missing several names the first.
        var required = (
            Name: Required(name, "name"),
            Schedule: Required(schedule, "schedule"),
            TimeZone: Required(timeZone, "timezone"),
            Anchor: anchor is null ? (DateTimeOffset?)null
                : Scheduling.Iso.TryParse(anchor, TimeZoneInfo.Utc, out var instant) ? instant
                : throw new FormatException($"invalid instant \"{anchor}\""),
            Enabled: enabled ?? throw Missing("enabled"),
            Action: action ?? throw Missing("run"));
        var policies = new JobPolicies
        {
            Timeout = Required(timeout, "timeout").Value,
            IdleTimeout = idleTimeout?.Value,
            KillGrace = Required(killGrace, "kill_grace").Value,
            OnInterrupt = record ? InterruptPolicy.Record : InterruptPolicy.Retry,

            // Definitions stored before on_stop existed detach, the default.
            OnStop = drain ? StopPolicy.Drain : StopPolicy.Detach,
            Retry = retry ?? throw Missing("retry"),
            Overlap = Enum.Parse<OverlapPolicy>(Required(overlap, "overlap"), ignoreCase: true),
            CatchUp = Enum.Parse<CatchUpPolicy>(Required(catchUp, "catch_up"), ignoreCase: true),
            MaxCatchUp = maxCatchUp ?? throw Missing("max_catch_up"),
            Grace = grace?.Value,
            After = after is null ? throw Missing("after") : parts?.Names(after) ?? after,
            Session = session,
            Expect = expect ?? throw Missing("expect"),
            AlertAfterFailures = alertAfterFailures ?? throw Missing("alert_after_failures"),
            PauseAfterFailures = pauseAfterFailures,
        };
        return new JobDefinition
        {
            Name = required.Name,
            Schedule = required.Schedule,
            TimeZone = required.TimeZone,
            Anchor = required.Anchor,
            Enabled = required.Enabled,
            Source = api ? JobSource.Api : JobSource.Config,
            Action = required.Action,
            Policies = parts?.Policies(policies) ?? policies,
        };
    }

    private static RetryPolicy ReadRetry(ref Utf8JsonReader reader, IDefinitionParts? parts)
    {
        Expect(ref reader, JsonTokenType.StartObject, "\"retry\"");
        int? maxAttempts = null;
        DurationText? backoff = null, window = null;
        RunState[]? on = null;
        Span<char> key = stackalloc char[MaxKeyLength];
        while (NextProperty(ref reader, key, out var length))
        {
            switch ((ReadOnlySpan<char>)key[..length])
            {
                case "max_attempts": maxAttempts = Int(ref reader); break;
                case "backoff": backoff = Duration(ref reader); break;
                case "window": window = Duration(ref reader); break;
                case "on": on = States(ref reader, parts); break;
                default: reader.Skip(); break;
            }
        }

        var retry = new RetryPolicy
        {
            MaxAttempts = maxAttempts ?? throw Missing("max_attempts"),
            Backoff = Required(backoff, "backoff").Value,
            Window = Required(window, "window").Value,
            On = on is null ? throw Missing("on") : parts?.States(on) ?? on,
        };
        return parts?.Retry(retry) ?? retry;
    }

    private static ExpectPolicy ReadExpect(ref Utf8JsonReader reader, IDefinitionParts? parts)
    {
        Expect(ref reader, JsonTokenType.StartObject, "\"expect\"");
        DurationText? maxSilence = null;
        int? emptyStreak = null;
        Span<char> key = stackalloc char[MaxKeyLength];
        while (NextProperty(ref reader, key, out var length))
        {
            switch ((ReadOnlySpan<char>)key[..length])
            {
                case "max_silence": maxSilence = Duration(ref reader); break;
                case "empty_streak": emptyStreak = Int(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        var expect = new ExpectPolicy
        {
            MaxSilence = maxSilence?.Value,
            EmptyStreak = emptyStreak,
        };
        return parts?.Expect(expect) ?? expect;
    }

    private static ActionSpec ReadAction(ref Utf8JsonReader reader, IDefinitionParts? parts)
    {
        Expect(ref reader, JsonTokenType.StartObject, "\"run\"");
        string[]? argv = null;
        string? cwd = null, handler = null;
        Dictionary<string, string>? env = null;
        bool? shell = null;
        HttpAction? http = null;
        Span<char> key = stackalloc char[MaxKeyLength];
        while (NextProperty(ref reader, key, out var length))
        {
            switch ((ReadOnlySpan<char>)key[..length])
            {
                case "command": argv = reader.TokenType == JsonTokenType.StartArray ? Strings(ref reader) : SkipValue<string[]>(ref reader); break;
                case "cwd": cwd = String(ref reader); break;
                case "env": env = Map(ref reader); break;
                case "shell": shell = Bool(ref reader); break;
                case "http": http = reader.TokenType == JsonTokenType.StartObject ? ReadHttp(ref reader) : SkipValue<HttpAction>(ref reader); break;
                case "handler": handler = Text(ref reader, parts); break;
                default: reader.Skip(); break;
            }
        }

        if (argv is not null)
        {
            return new CommandAction { Argv = argv, Cwd = cwd, Env = env ?? [], Shell = shell ?? false };
        }

        if (http is not null)
        {
            return http;
        }

        var handlerAction = new HandlerAction { Name = Required(handler, "handler") };
        return parts?.Handler(handlerAction) ?? handlerAction;
    }

    private static HttpAction ReadHttp(ref Utf8JsonReader reader)
    {
        string? method = null, url = null, body = null;
        Dictionary<string, string>? headers = null;
        int[]? expectStatus = null;
        Span<char> key = stackalloc char[MaxKeyLength];
        while (NextProperty(ref reader, key, out var length))
        {
            switch ((ReadOnlySpan<char>)key[..length])
            {
                case "method": method = String(ref reader); break;
                case "url": url = String(ref reader); break;
                case "headers": headers = Map(ref reader); break;
                case "body": body = String(ref reader); break;
                case "expect_status": expectStatus = reader.TokenType == JsonTokenType.StartArray ? Ints(ref reader) : SkipValue<int[]>(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        return new HttpAction
        {
            Method = method ?? "GET",
            Url = Required(url, "url"),
            Headers = headers ?? [],
            Body = body,
            ExpectStatus = expectStatus ?? [],
        };
    }

    /// <summary>
    /// Moves to the next property's value, its key copied into <paramref name="name"/> (no string
    /// per key); false at the end of the object. A key longer than any known one reads as empty.
    /// </summary>
    private static bool NextProperty(ref Utf8JsonReader reader, scoped Span<char> name, out int length)
    {
        length = 0;
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndObject)
        {
            return false;
        }

        if (reader.ValueSpan.Length <= name.Length)
        {
            length = reader.CopyString(name);
        }

        if (!reader.Read())
        {
            throw new FormatException("job definition: truncated");
        }

        return true;
    }

    /// <summary>Like <see cref="NextProperty"/>, for maps whose keys are data.</summary>
    private static bool NextKey(ref Utf8JsonReader reader, out string key)
    {
        key = string.Empty;
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndObject)
        {
            return false;
        }

        key = reader.GetString()!;
        if (!reader.Read())
        {
            throw new FormatException("job definition: truncated");
        }

        return true;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw new FormatException($"job definition: {what} is not {(type == JsonTokenType.StartObject ? "an object" : "an array")}");
        }
    }

    /// <summary>A string, or null for JSON null; anything else is an <see cref="InvalidOperationException"/>.</summary>
    private static string? String(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetString();

    private static bool? Bool(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetBoolean();

    private static int? Int(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32();

    private static T? SkipValue<T>(ref Utf8JsonReader reader)
        where T : class
    {
        reader.Skip();
        return null;
    }

    private static int[] Ints(ref Utf8JsonReader reader)
    {
        var values = new List<int>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(reader.GetInt32());
        }

        return [.. values];
    }

    private static Dictionary<string, string>? Map(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (NextKey(ref reader, out var key))
        {
            map[key] = reader.GetString()!;
        }

        return map;
    }

    private static string Required(string? value, string name) => value ?? throw Missing(name);

    private static DurationText Required(DurationText? value, string name) => value ?? throw Missing(name);

    private static FormatException Missing(string name) => new($"job definition: \"{name}\" is missing");
}
