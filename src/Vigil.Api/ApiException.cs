namespace Vigil.Api;

/// <summary>A request the API refuses with a 4xx status and a one-line <c>{"error": message}</c>.</summary>
internal sealed class ApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ApiException(int status, string message)
        : base(message)
    {
        Status = status;
    }

    /// <summary>Creates the exception with no message (required by the exception pattern).</summary>
    public ApiException()
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status (400-499).</summary>
    public int Status { get; } = 400;
}
