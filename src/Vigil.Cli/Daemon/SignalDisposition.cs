using System.Runtime.InteropServices;

namespace Vigil.Cli.Daemon;

/// <summary>Makes SIGHUP reach the daemon's reload handler when the daemon was started with it ignored.</summary>
/// <remarks>
/// <c>nohup</c> (and some process supervisors) start a program with SIGHUP ignored. .NET honours an
/// ignored disposition inherited at start: a handler registered for such a signal is never called,
/// so <c>kill -HUP</c> would silently not reload. For the daemon SIGHUP is a request to reload, and
/// a terminal hang-up reloading the config is harmless, so the disposition is reset to the default
/// before the handler is registered. SIGINT and SIGTERM keep what they were given.
/// </remarks>
internal static partial class SignalDisposition
{
    private const int SigHup = 1;
    private const nint Default = 0;
    private const nint Error = -1;

    /// <summary>Resets SIGHUP to its default disposition; false when the call failed (nothing else changes).</summary>
    public static bool ResetSighup() => OperatingSystem.IsLinux() && Signal(SigHup, Default) != Error;

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);
}
