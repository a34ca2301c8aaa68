using System.Globalization;

namespace Vigil.Supervision.Shim;

/// <summary>
/// <c>state.json</c>: who is running the run, written by the shim once the command has started
/// (fsync + rename), versioned so that a newer daemon adopts the shims of an older binary.
/// </summary>
internal sealed record ShimState
{
    public required long RunId { get; init; }

    /// <summary>The shim's pid.</summary>
    public required int ShimPid { get; init; }

    /// <summary>The shim's start time in clock ticks since boot (<c>/proc/PID/stat</c> field 22): with the pid, an identity pid reuse cannot fake.</summary>
    public required ulong ShimStartTime { get; init; }

    /// <summary>The command's pid, which is also its process group and session id.</summary>
    public required int ChildPid { get; init; }

    /// <summary>The command's start time in clock ticks since boot.</summary>
    public required ulong ChildStartTime { get; init; }

    /// <summary>When the command started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The command's result file.</summary>
    public required string ResultFile { get; init; }

    /// <summary>The kernel's boot id when the shim started: after a reboot, pids and start times mean nothing.</summary>
    public string? BootId { get; init; }

    /// <summary>This machine's boot id (<c>/proc/sys/kernel/random/boot_id</c>), or null when unknown.</summary>
    public static string? CurrentBootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public byte[] ToJson() => ShimJson.Write(w =>
    {
        w.WriteNumber("run_id", RunId);
        w.WriteNumber("shim_pid", ShimPid);
        w.WriteString("shim_start_time", ShimStartTime.ToString(CultureInfo.InvariantCulture));
        w.WriteNumber("child_pid", ChildPid);
        w.WriteNumber("child_pgid", ChildPid);
        w.WriteString("child_start_time", ChildStartTime.ToString(CultureInfo.InvariantCulture));
        w.WriteString("started_at", Scheduling.Iso.Format(StartedAt));
        w.WriteString("result_file", ResultFile);
        ShimJson.WriteNullable(w, "boot_id", BootId);
    });

    public static ShimState? Read(string path) => ShimJson.Read(path, root => new ShimState
    {
        RunId = root.GetProperty("run_id").GetInt64(),
        ShimPid = root.GetProperty("shim_pid").GetInt32(),
        ShimStartTime = ulong.Parse(root.GetProperty("shim_start_time").GetString()!, CultureInfo.InvariantCulture),
        ChildPid = root.GetProperty("child_pid").GetInt32(),
        ChildStartTime = ulong.Parse(root.GetProperty("child_start_time").GetString()!, CultureInfo.InvariantCulture),
        StartedAt = DateTimeOffset.Parse(root.GetProperty("started_at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        ResultFile = root.GetProperty("result_file").GetString()!,
        BootId = ShimJson.String(root, "boot_id"),
    });
}
