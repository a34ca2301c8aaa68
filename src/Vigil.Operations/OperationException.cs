namespace Vigil.Operations;

/// <summary>What kind of refusal an <see cref="OperationException"/> is.</summary>
internal enum OperationError
{
    /// <summary>The input is not valid (a bad schedule, an unknown state, a job that cannot take the change).</summary>
    Invalid,

    /// <summary>The job or run named does not exist.</summary>
    NotFound,

    /// <summary>The ledger is not in a state that allows it (a retry of a slot that already has an open attempt).</summary>
    Conflict,
}

/// <summary>
/// An operator's request was refused, with a one-line message that says why. The CLI prints it and
/// exits 2; the API answers 400, 404 or 409 with <c>{"error": message}</c>.
/// </summary>
internal sealed class OperationException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public OperationException(string message, OperationError kind = OperationError.Invalid)
        : base(message)
    {
        Kind = kind;
    }

    /// <summary>Creates the exception with no message (required by the exception pattern).</summary>
    public OperationException()
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public OperationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What kind of refusal this is.</summary>
    public OperationError Kind { get; }

    /// <summary>A job that does not exist.</summary>
    public static OperationException NoJob(string name) => new($"no job named \"{name}\"", OperationError.NotFound);

    /// <summary>A run that does not exist.</summary>
    public static OperationException NoRun(long id) => new($"no run with id {id}", OperationError.NotFound);
}
