using System.Globalization;

namespace Vigil.Supervision.Shim;

/// <summary>
/// <c>exit.json</c>: how the command ended, as the shim saw it (exit code or signal, the result file
/// as read at that moment). Written last, with fsync + rename, before the shim exits and lets go of its lock.
/// </summary>
internal sealed record ShimExit
{
    public required long RunId { get; init; }

    /// <summary>The command's outcome (its <see cref="ActionResult.Output"/> lives in <c>output.log</c>).</summary>
    public required ActionResult Result { get; init; }

    /// <summary>When the shim saw the command end.</summary>
    public required DateTimeOffset FinishedAt { get; init; }

    public byte[] ToJson() => ShimJson.Write(w =>
    {
        w.WriteNumber("run_id", RunId);
        w.WriteBoolean("success", Result.Success);
        ShimJson.WriteNullable(w, "reason", Result.Reason);
        ShimJson.WriteNullable(w, "exit_code", Result.ExitCode);
        ShimJson.WriteNullable(w, "result_status", Result.ResultStatus);
        ShimJson.WriteNullable(w, "summary", Result.Summary);
        ShimJson.WriteNullable(w, "tokens_in", Result.TokensIn);
        ShimJson.WriteNullable(w, "tokens_out", Result.TokensOut);
        w.WriteString("finished_at", Scheduling.Iso.Format(FinishedAt));
    });

    public static ShimExit? Read(string path) => ShimJson.Read(path, root => new ShimExit
    {
        RunId = root.GetProperty("run_id").GetInt64(),
        Result = new ActionResult
        {
            Success = root.GetProperty("success").GetBoolean(),
            Reason = ShimJson.String(root, "reason"),
            ExitCode = ShimJson.Number(root, "exit_code") is { } code ? (int)code : null,
            ResultStatus = ShimJson.String(root, "result_status"),
            Summary = ShimJson.String(root, "summary"),
            TokensIn = ShimJson.Number(root, "tokens_in"),
            TokensOut = ShimJson.Number(root, "tokens_out"),
        },
        FinishedAt = DateTimeOffset.Parse(root.GetProperty("finished_at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
    });
}
