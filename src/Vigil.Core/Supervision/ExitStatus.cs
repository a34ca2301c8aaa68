namespace Vigil.Supervision;

/// <summary>Decodes a wait status (the <c>WIFEXITED</c>, <c>WEXITSTATUS</c> and <c>WTERMSIG</c> macros).</summary>
internal static class ExitStatus
{
    /// <summary>The exit code, when the process exited by itself.</summary>
    public static int? ExitCode(int status) => (status & 0x7f) == 0 ? (status >> 8) & 0xff : null;

    /// <summary>The signal that ended the process, when a signal did.</summary>
    public static int? Signal(int status)
    {
        var signal = status & 0x7f;
        return signal is not 0 and not 0x7f ? signal : null;
    }
}
