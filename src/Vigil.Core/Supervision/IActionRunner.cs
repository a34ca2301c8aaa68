using Vigil.Jobs;

namespace Vigil.Supervision;

/// <summary>Starts one kind of action. The supervisor owns deadlines; a runner only starts, stops and kills.</summary>
internal interface IActionRunner
{
    /// <summary>Whether this runner runs <paramref name="action"/>.</summary>
    bool CanRun(ActionSpec action);

    /// <summary>Starts the action; the returned handle completes when the action ends by itself or is killed.</summary>
    IRunningAction Start(ActionSpec action, RunContext context);

    /// <summary>
    /// Does ahead what a start needs, without starting anything; the returned function starts it.
    /// For a burst of runs due on one instant: the preparation happens before the instant, only the
    /// starts on it. By default everything happens at the start.
    /// </summary>
    Func<IRunningAction> Prepare(ActionSpec action, RunContext context) => () => Start(action, context);
}

/// <summary>A started action.</summary>
internal interface IRunningAction : IDisposable
{
    /// <summary>Completes with the action's own outcome. May never complete (a handler that ignores its token).</summary>
    Task<ActionResult> Completion { get; }

    /// <summary>When the action last produced output (UTC ticks), for <c>idle_timeout</c>.</summary>
    long LastOutputTicks { get; }

    /// <summary>The output tail captured so far.</summary>
    string OutputTail { get; }

    /// <summary>Cooperative cancel: SIGTERM to the process group, abort the HTTP call, cancel the token.</summary>
    void RequestStop();

    /// <summary>Forced stop: SIGKILL to the whole process tree (grandchildren included).</summary>
    void Kill();
}

/// <summary>What an action reported when it ended by itself.</summary>
internal sealed record ActionResult
{
    /// <summary>Succeeded or failed.</summary>
    public required bool Success { get; init; }

    /// <summary>Why it failed.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// The action did not end by itself: what supervised it died under it (a run shim killed), so the
    /// run is recorded interrupted and <c>on_interrupt</c> decides, never failed.
    /// </summary>
    public bool Interrupted { get; init; }

    /// <summary>The exit code of a command, or the HTTP status of a call.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The output tail.</summary>
    public string Output { get; init; } = string.Empty;

    /// <summary>The result file's (or handler's) status.</summary>
    public string? ResultStatus { get; init; }

    /// <summary>The result's summary.</summary>
    public string? Summary { get; init; }

    /// <summary>The result's tokens_in.</summary>
    public long? TokensIn { get; init; }

    /// <summary>The result's tokens_out.</summary>
    public long? TokensOut { get; init; }
}
