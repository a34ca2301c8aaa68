using System.Diagnostics;
using Vigil.Supervision;

namespace Vigil.Core.Tests.Supervision;

/// <summary>Shared pieces of the runner tests: a run context, temporary directories, FIFOs and process checks.</summary>
internal static class TestRuns
{
    /// <summary>How long a test waits for something that should happen at once; only a failing test waits this long.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static readonly DateTimeOffset Slot = new(2026, 11, 22, 22, 0, 0, TimeSpan.Zero);

    public static RunContext Context(string directory, string? session = null) => new()
    {
        Job = "nightly",
        Slot = Slot,
        Attempt = 2,
        RunId = 42,
        Resumed = true,
        Session = session,
        ResultFile = Path.Combine(directory, "results", "42.json"),
    };

    /// <summary>A daemon environment for the child: the real PATH plus <paramref name="extra"/>.</summary>
    public static Dictionary<string, string> Environment(params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }

    public static Task<ActionResult> Finish(this IRunningAction action) => action.Completion.WaitAsync(Patience);

    /// <summary>Creates a named pipe: a test waits on it for a child to say something, without polling.</summary>
    public static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    /// <summary>Reads a FIFO until its writer closes it (opening blocks until a writer arrives, hence the thread).</summary>
    public static Task<string> ReadFifo(string path) => Task.Run(() => File.ReadAllText(path)).WaitAsync(Patience);

    public static Task WriteFifo(string path, string text) => Task.Run(() => File.WriteAllText(path, text)).WaitAsync(Patience);

    /// <summary>Whether the process <paramref name="pid"/> that started at <paramref name="startTime"/> still runs (a zombie does not).</summary>
    public static bool IsRunning(int pid, ulong startTime) =>
        ProcStat.Read(pid) is { } stat && stat.StartTime == startTime && !stat.IsGone;

    public static ProcStat Stat(int pid) => ProcStat.Read(pid) ?? throw new InvalidOperationException($"process {pid} is gone");
}
