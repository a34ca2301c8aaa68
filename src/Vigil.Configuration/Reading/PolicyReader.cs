using Vigil.Configuration.Yaml;
using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Configuration.Reading;

/// <summary>
/// Applies the policy keys of <c>defaults:</c> or of one job on top of a base
/// <see cref="JobPolicies"/> (built-in ← defaults ← job). <c>retry</c> and <c>expect</c> merge key by key.
/// </summary>
internal static class PolicyReader
{
    /// <summary>Every policy key, in the order the documentation lists them.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "timeout", "idle_timeout", "kill_grace", "on_interrupt", "on_stop", "retry", "overlap", "catch_up",
        "max_catch_up", "grace", "after", "session", "expect", "alert_after_failures", "pause_after_failures",
    ];

    private static readonly IReadOnlyList<string> RetryKeys = ["max_attempts", "backoff", "window", "on"];
    private static readonly IReadOnlyList<string> ExpectKeys = ["max_silence", "empty_streak"];

    private static readonly (string, InterruptPolicy)[] InterruptChoices =
        [("retry", InterruptPolicy.Retry), ("record", InterruptPolicy.Record)];

    /// <summary>The choices of <c>on_stop</c>.</summary>
    public static readonly (string, StopPolicy)[] StopChoices =
        [("detach", StopPolicy.Detach), ("drain", StopPolicy.Drain)];

    private static readonly (string, OverlapPolicy)[] OverlapChoices =
        [("skip", OverlapPolicy.Skip), ("queue", OverlapPolicy.Queue), ("allow", OverlapPolicy.Allow), ("replace", OverlapPolicy.Replace)];

    private static readonly (string, CatchUpPolicy)[] CatchUpChoices =
        [("latest", CatchUpPolicy.Latest), ("all", CatchUpPolicy.All), ("none", CatchUpPolicy.None)];

    private static readonly (string, RunState)[] RetryOnChoices =
        [("interrupted", RunState.Interrupted), ("failed", RunState.Failed), ("timed_out", RunState.TimedOut)];

    /// <summary>
    /// Applies <paramref name="entries"/> (policy keys only: the caller routes other keys) to
    /// <paramref name="basis"/>. <paramref name="after"/> receives the <c>after:</c> names with their
    /// nodes when the entries set it, so that unknown names and cycles can be reported where they are written.
    /// </summary>
    public static JobPolicies Apply(JobPolicies basis, IEnumerable<YamlEntry> entries, NodeReader r, out IReadOnlyList<YamlScalar>? after)
    {
        after = null;
        var p = basis;
        foreach (var (key, value) in entries)
        {
            var name = key.Value;
            switch (name)
            {
                case "timeout" when r.TryDuration(value, name, positive: true, out var timeout):
                    p = p with { Timeout = timeout };
                    break;
                case "idle_timeout" when r.TryOptionalDuration(value, name, positive: true, out var idle):
                    p = p with { IdleTimeout = idle };
                    break;
                case "kill_grace" when r.TryDuration(value, name, positive: false, out var killGrace):
                    p = p with { KillGrace = killGrace };
                    break;
                case "on_interrupt" when r.TryChoice(value, name, InterruptChoices, out var onInterrupt):
                    p = p with { OnInterrupt = onInterrupt };
                    break;
                case "on_stop" when r.TryChoice(value, name, StopChoices, out var onStop):
                    p = p with { OnStop = onStop };
                    break;
                case "retry":
                    p = p with { Retry = ApplyRetry(p.Retry, value, r) };
                    break;
                case "overlap" when r.TryChoice(value, name, OverlapChoices, out var overlap):
                    p = p with { Overlap = overlap };
                    break;
                case "catch_up" when r.TryChoice(value, name, CatchUpChoices, out var catchUp):
                    p = p with { CatchUp = catchUp };
                    break;
                case "max_catch_up" when r.TryInt(value, name, min: 1, out var maxCatchUp):
                    p = p with { MaxCatchUp = maxCatchUp };
                    break;
                case "grace" when r.TryOptionalDuration(value, name, positive: false, out var grace):
                    p = p with { Grace = grace };
                    break;
                case "after":
                    if (ReadAfter(value, r) is { } names)
                    {
                        after = names;
                        p = p with { After = [.. names.Select(n => n.Value.Trim()).Distinct(StringComparer.Ordinal)] };
                    }

                    break;
                case "session":
                    if (value is YamlScalar { IsNull: true })
                    {
                        p = p with { Session = null };
                    }
                    else if (r.TryName(value, name, out var session))
                    {
                        p = p with { Session = session };
                    }

                    break;
                case "expect":
                    p = p with { Expect = ApplyExpect(p.Expect, value, r) };
                    break;
                case "alert_after_failures" when r.TryInt(value, name, min: 1, out var alertAfter):
                    p = p with { AlertAfterFailures = alertAfter };
                    break;
                case "pause_after_failures" when r.TryOptionalInt(value, name, min: 1, out var pauseAfter):
                    p = p with { PauseAfterFailures = pauseAfter };
                    break;
                default:
                    // A known key whose value was reported by its Try method above.
                    break;
            }
        }

        return p;
    }

    private static RetryPolicy ApplyRetry(RetryPolicy retry, YamlNode node, NodeReader r)
    {
        if (r.Mapping(node, "retry") is not { } map)
        {
            return retry;
        }

        foreach (var (key, value) in map.Entries)
        {
            var path = $"retry.{key.Value}";
            switch (key.Value)
            {
                case "max_attempts" when r.TryInt(value, path, min: 1, out var attempts):
                    retry = retry with { MaxAttempts = attempts };
                    break;
                case "backoff" when r.TryDuration(value, path, positive: false, out var backoff):
                    retry = retry with { Backoff = backoff };
                    break;
                case "window" when r.TryDuration(value, path, positive: true, out var window):
                    retry = retry with { Window = window };
                    break;
                case "on":
                    if (ReadRetryOn(value, path, r) is { } on)
                    {
                        retry = retry with { On = on };
                    }

                    break;
                case "max_attempts" or "backoff" or "window":
                    break;
                default:
                    r.UnknownKey(key, RetryKeys, "in retry");
                    break;
            }
        }

        return retry;
    }

    private static List<RunState>? ReadRetryOn(YamlNode node, string path, NodeReader r)
    {
        if (r.Sequence(node, path) is not { } list)
        {
            return null;
        }

        var states = new List<RunState>();
        var ok = true;
        foreach (var item in list.Items)
        {
            if (r.TryChoice(item, path, RetryOnChoices, out var state))
            {
                if (!states.Contains(state))
                {
                    states.Add(state);
                }
            }
            else
            {
                ok = false;
            }
        }

        return ok ? states : null;
    }

    private static ExpectPolicy ApplyExpect(ExpectPolicy expect, YamlNode node, NodeReader r)
    {
        if (r.Mapping(node, "expect") is not { } map)
        {
            return expect;
        }

        foreach (var (key, value) in map.Entries)
        {
            var path = $"expect.{key.Value}";
            switch (key.Value)
            {
                case "max_silence" when r.TryOptionalDuration(value, path, positive: true, out var silence):
                    expect = expect with { MaxSilence = silence };
                    break;
                case "empty_streak" when r.TryOptionalInt(value, path, min: 1, out var streak):
                    expect = expect with { EmptyStreak = streak };
                    break;
                case "max_silence" or "empty_streak":
                    break;
                default:
                    r.UnknownKey(key, ExpectKeys, "in expect");
                    break;
            }
        }

        return expect;
    }

    private static List<YamlScalar>? ReadAfter(YamlNode node, NodeReader r)
    {
        if (r.Sequence(node, "after") is not { } list)
        {
            return null;
        }

        var names = new List<YamlScalar>();
        var ok = true;
        foreach (var item in list.Items)
        {
            if (r.TryName(item, "after", out _))
            {
                names.Add((YamlScalar)item);
            }
            else
            {
                ok = false;
            }
        }

        return ok ? names : null;
    }
}
