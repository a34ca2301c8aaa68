namespace Vigil.Cli;

/// <summary>The process exit codes every <c>vigil</c> command uses.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>Something went wrong that is not the caller's input (an I/O failure, a bug).</summary>
    public const int Failure = 1;

    /// <summary>Bad input: an unknown option, a bad schedule, an unknown time zone, a bad instant or count.</summary>
    public const int Usage = 2;

    /// <summary>The daemon exited because a scheduler loop stalled (<c>on_stall: exit</c>).</summary>
    public const int Stalled = 3;

    /// <summary><c>vigil doctor</c> found the daemon or the ledger unhealthy.</summary>
    public const int Unhealthy = 4;
}
