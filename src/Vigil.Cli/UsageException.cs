namespace Vigil.Cli;

/// <summary>
/// Bad input on the command line. <see cref="VigilCli"/> turns it into exit code 2 and one line on
/// stderr; its message is that line (without the <c>vigil: </c> prefix).
/// </summary>
internal sealed class UsageException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message (required by the exception pattern).</summary>
    public UsageException()
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
