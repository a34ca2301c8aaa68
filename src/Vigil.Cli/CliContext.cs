namespace Vigil.Cli;

/// <summary>
/// Everything a command reads from or writes to the outside world: the clock, the standard streams,
/// the environment and the host's time zone.
/// </summary>
/// <remarks>
/// Commands never touch <see cref="Console"/>, <see cref="Environment"/> or ambient time directly, so the
/// process entry point decides all of them once and tests can run a command against a fixed clock and
/// in-memory streams.
/// </remarks>
internal sealed class CliContext
{
    private readonly Func<string, string?> _getEnvironmentVariable;
    private StreamWriter? _out;

    /// <summary>Creates a context over the given clock, streams and environment.</summary>
    public CliContext(
        TimeProvider time,
        Stream input,
        Stream output,
        TextWriter error,
        Func<string, string?> getEnvironmentVariable,
        TimeZoneInfo localZone,
        bool inputIsTerminal = false)
    {
        Time = time;
        Input = input;
        Output = output;
        Error = error;
        _getEnvironmentVariable = getEnvironmentVariable;
        LocalZone = localZone;
        InputIsTerminal = inputIsTerminal;
    }

    /// <summary>The clock "now" is read from.</summary>
    public TimeProvider Time { get; }

    /// <summary>Standard input as raw bytes.</summary>
    public Stream Input { get; }

    /// <summary>Standard output as raw bytes (the batch mode writes UTF-8 JSON straight to it).</summary>
    public Stream Output { get; }

    /// <summary>Standard output as text (UTF-8, no byte-order mark), flushed by <see cref="Flush"/>.</summary>
    public TextWriter Out => _out ??= new StreamWriter(Output, CliText.Utf8, bufferSize: 16 * 1024, leaveOpen: true) { NewLine = "\n" };

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>The host's local time zone, the last fallback for commands that take <c>--tz</c>.</summary>
    public TimeZoneInfo LocalZone { get; }

    /// <summary>Whether standard input is a terminal (a person typing) rather than a pipe or file.</summary>
    public bool InputIsTerminal { get; }

    /// <summary>Creates the context of a real process: console streams, process environment, host zone.</summary>
    public static CliContext FromConsole(TimeProvider time)
    {
        var error = new StreamWriter(Console.OpenStandardError(), CliText.Utf8) { AutoFlush = true, NewLine = "\n" };
        return new CliContext(
            time,
            Console.OpenStandardInput(),
            Console.OpenStandardOutput(),
            error,
            Environment.GetEnvironmentVariable,
            TimeZoneInfo.Local,
            inputIsTerminal: !Console.IsInputRedirected);
    }

    /// <summary>Reads an environment variable, or null when it is not set.</summary>
    public string? GetEnvironmentVariable(string name) => _getEnvironmentVariable(name);

    /// <summary>Writes out whatever text output is still buffered.</summary>
    public void Flush()
    {
        _out?.Flush();
        Output.Flush();
        Error.Flush();
    }
}
