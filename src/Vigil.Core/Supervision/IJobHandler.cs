namespace Vigil.Supervision;

/// <summary>
/// An in-process action for applications that embed Vigil as a library. Register it by name; a job
/// runs it with <c>run: { handler: name }</c>.
/// </summary>
/// <remarks>
/// The token is cancelled at the job's timeout (and on <c>overlap: replace</c> or operator cancel).
/// A handler that ignores it is still finalized as timed out at timeout + kill_grace, and its
/// session and concurrency slot are released then (G3); its task is abandoned.
/// </remarks>
public interface IJobHandler
{
    /// <summary>Runs one attempt.</summary>
    Task<HandlerResult> RunAsync(RunContext context, CancellationToken cancellationToken);
}

/// <summary>What a handler reports; the same fields as the result file of a command.</summary>
public sealed record HandlerResult
{
    /// <summary>A plain success.</summary>
    public static HandlerResult Ok { get; } = new();

    /// <summary><c>ok</c>, <c>empty</c> or <c>failed</c>.</summary>
    public string Status { get; init; } = "ok";

    /// <summary>A one-line summary.</summary>
    public string? Summary { get; init; }

    /// <summary>Tokens sent to a model.</summary>
    public long? TokensIn { get; init; }

    /// <summary>Tokens received from a model.</summary>
    public long? TokensOut { get; init; }
}
