using System.Collections;
using Vigil.Jobs;

namespace Vigil.Supervision;

/// <summary>Runs <see cref="CommandAction"/>s as child processes, each in its own session and process group.</summary>
/// <remarks>
/// The child's environment is the daemon's, then the action's <c>env</c> (with <c>${VAR}</c> expanded
/// from the daemon's environment), then the <c>VIGIL_*</c> variables, which an action cannot override.
/// Anything that prevents the start is reported as a failed run with a one-line reason, never thrown.
/// </remarks>
internal sealed class CommandRunner : IActionRunner
{
    /// <summary>How long output is still read after the command exits, if something it started holds the pipe.</summary>
    public static readonly TimeSpan DefaultOutputDrain = TimeSpan.FromSeconds(2);

    private const string Shell = "/bin/sh";

    private readonly TimeProvider _timeProvider;
    private readonly IReadOnlyDictionary<string, string>? _environment;
    private readonly int _outputCapacity;
    private readonly TimeSpan _outputDrain;

    /// <summary>Creates the runner.</summary>
    /// <param name="timeProvider">The clock for <see cref="IRunningAction.LastOutputTicks"/> and the drain window.</param>
    /// <param name="environment">The daemon environment to pass on and expand from; null reads the process environment at each start.</param>
    /// <param name="outputCapacity">The output tail's cap in bytes.</param>
    /// <param name="outputDrain">How long to keep reading output after the command exits.</param>
    public CommandRunner(
        TimeProvider timeProvider,
        IReadOnlyDictionary<string, string>? environment = null,
        int outputCapacity = OutputTail.DefaultCapacity,
        TimeSpan? outputDrain = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _environment = environment;
        _outputCapacity = outputCapacity;
        _outputDrain = outputDrain ?? DefaultOutputDrain;
    }

    /// <inheritdoc />
    public bool CanRun(ActionSpec action) => action is CommandAction;

    /// <inheritdoc />
    public IRunningAction Start(ActionSpec action, RunContext context)
    {
        if (Prepare(action, context, out var failure) is not { } prepared)
        {
            return Fail(failure!);
        }

        var tail = new OutputTail(_outputCapacity, _timeProvider);
        return (IRunningAction?)Launch(prepared, tail, _timeProvider, _outputDrain, out var error) ?? Fail(error!);
    }

    /// <summary>
    /// Everything about starting <paramref name="action"/> that can fail for a reason the operator
    /// can act on (an empty command, a variable that does not expand, a program not found), checked
    /// in this process: returns what to execute, or null with a one-line reason.
    /// </summary>
    /// <remarks>The result file is prepared here too: a stale file must not be read as this run's result.</remarks>
    public PreparedCommand? Prepare(ActionSpec action, RunContext context, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(context);
        failure = null;
        if (action is not CommandAction command)
        {
            throw new ArgumentException($"The command runner cannot run a {action?.Kind ?? "null"} action.", nameof(action));
        }

        var daemonEnvironment = _environment ?? ProcessEnvironment();
        var environment = new Dictionary<string, string>(daemonEnvironment, StringComparer.Ordinal);
        foreach (var (name, value) in command.Env)
        {
            if (!Jobs.Placeholders.TryExpand(value, n => daemonEnvironment.GetValueOrDefault(n), out var expanded, out var expandError))
            {
                failure = $"env {name}: {expandError}";
                return null;
            }

            environment[name] = expanded;
        }

        foreach (var (name, value) in context.EnvironmentVariables())
        {
            environment[name] = value;
        }

        var argv = command.Shell ? [Shell, "-c", string.Join(' ', command.Argv)] : command.Argv;
        failure = argv.Count == 0 || argv[0].Length == 0 ? "command is empty"
            : argv.Any(a => a.Contains('\0', StringComparison.Ordinal)) ? "command contains a NUL character"
            : environment.FirstOrDefault(e => e.Key.Contains('=', StringComparison.Ordinal) || e.Key.Contains('\0', StringComparison.Ordinal) || e.Value.Contains('\0', StringComparison.Ordinal)) is { Key: { } badName } ? $"env {badName} is not a valid variable"
            : command.Cwd is { } cwd && !Directory.Exists(cwd) ? $"working directory not found: {cwd}"
            : null;
        if (failure is not null)
        {
            return null;
        }

        var program = ProgramLocator.Find(argv[0], environment.GetValueOrDefault("PATH"), command.Cwd);
        if (program is null)
        {
            failure = $"program not found: {argv[0]}";
            return null;
        }

        try
        {
            ResultFile.Prepare(context.ResultFile);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            failure = $"cannot prepare the result file: {Reasons.OneLine(exception.Message)}";
            return null;
        }

        return new PreparedCommand
        {
            Program = program,
            Argv = [.. argv],
            Environment = [.. environment.Select(e => $"{e.Key}={e.Value}")],
            Cwd = command.Cwd,
            ResultFile = context.ResultFile,
        };
    }

    /// <summary>Starts a prepared command in its own session; null with a one-line reason when the spawn fails.</summary>
    public static RunningCommand? Launch(PreparedCommand prepared, OutputTail tail, TimeProvider timeProvider, TimeSpan outputDrain, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        failure = null;
        var error = ProcessSpawner.Spawn(prepared.Program, prepared.Argv, prepared.Environment, prepared.Cwd, out var pid, out var output);
        if (error != 0 || output is null)
        {
            failure = $"cannot start {prepared.Argv[0]}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(error)}";
            return null;
        }

        return new RunningCommand(pid, output, prepared.ResultFile, tail, timeProvider, outputDrain);
    }

    private NotStartedAction Fail(string reason) => new(reason, _timeProvider);

    internal static Dictionary<string, string> ProcessEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value)
            {
                environment[name] = value;
            }
        }

        return environment;
    }
}
