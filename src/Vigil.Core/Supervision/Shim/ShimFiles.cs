using System.Globalization;

namespace Vigil.Supervision.Shim;

/// <summary>
/// The files of one run under a run supervisor (the shim), in <c>&lt;data_dir&gt;/runs/&lt;run id&gt;/</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>shim.lock</c>: held (<c>flock</c>) by the shim for as long as it lives. Liveness is "is the
/// lock held?", never "does a process with that pid exist?": a pid may be reused, a lock dies with its holder.</item>
/// <item><c>spec.json</c>: what to execute, written by the daemon before the shim starts; the shim
/// deletes it once read (it holds the command's environment).</item>
/// <item><c>state.json</c>: the shim's and the command's pids and start times (versioned).</item>
/// <item><c>output.log</c>: the command's output, cut back to the capped tail as it grows.</item>
/// <item><c>exit.json</c>: the command's outcome, written last (fsync + rename), before the shim exits.</item>
/// <item><c>result.json</c>: the command's own result file (<c>VIGIL_RESULT_FILE</c>).</item>
/// <item><c>shim.log</c>: the shim's own diagnostics, if it ever has any.</item>
/// </list>
/// </remarks>
internal sealed record ShimFiles(string Directory)
{
    /// <summary>The files of run <paramref name="runId"/> under <paramref name="runsDirectory"/>.</summary>
    public static ShimFiles For(string runsDirectory, long runId) =>
        new(System.IO.Path.Combine(runsDirectory, runId.ToString(CultureInfo.InvariantCulture)));

    public string Lock => Path("shim.lock");

    public string Spec => Path("spec.json");

    public string State => Path("state.json");

    public string Output => Path("output.log");

    public string Exit => Path("exit.json");

    public string ResultFile => Path("result.json");

    public string Log => Path("shim.log");

    private string Path(string name) => System.IO.Path.Combine(Directory, name);
}
