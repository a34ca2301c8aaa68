using System.Runtime.InteropServices;

namespace Vigil.EndToEnd.Tests;

/// <summary>Signals and <c>/proc</c> lookups: what a test needs to kill the daemon and to find the processes its runs left.</summary>
internal static partial class Posix
{
    public const int SigHup = 1;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private const int ESrch = 3;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; a process already gone is not an error.</summary>
    public static void Signal(int pid, int signal)
    {
        if (kill(pid, signal) != 0 && Marshal.GetLastPInvokeError() != ESrch)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Whether <paramref name="pid"/> is a live process (a zombie is not) working in <paramref name="directory"/>.</summary>
    /// <remarks>The working directory tells a command of this test from an unrelated process that reused the pid.</remarks>
    public static bool IsRunningIn(int pid, string directory)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            if (state is 'Z' or 'X')
            {
                return false;
            }

            var cwd = new FileInfo($"/proc/{pid}/cwd").LinkTarget;
            return cwd is not null && Path.TrimEndingDirectorySeparator(cwd) == Path.TrimEndingDirectorySeparator(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Waits until none of <paramref name="pids"/> runs in <paramref name="directory"/>; returns those still running after <paramref name="patience"/>.</summary>
    public static async Task<IReadOnlyList<int>> WaitUntilGoneAsync(IReadOnlyList<int> pids, string directory, TimeSpan patience)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(patience.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            var alive = pids.Where(p => IsRunningIn(p, directory)).ToList();
            if (alive.Count == 0 || TimeProvider.System.GetTimestamp() > deadline)
            {
                return alive;
            }

            await Task.Delay(100);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
