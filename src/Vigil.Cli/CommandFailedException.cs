namespace Vigil.Cli;

/// <summary>
/// A command could not do what was asked for a reason that is not the input (no daemon to drain, a
/// wait that timed out). <see cref="VigilCli"/> turns it into exit code 1 and one line on stderr.
/// </summary>
internal sealed class CommandFailedException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public CommandFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message (required by the exception pattern).</summary>
    public CommandFailedException()
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
