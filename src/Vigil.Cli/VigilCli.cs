using System.CommandLine;
using System.CommandLine.Invocation;
using Vigil.Cli.Commands;

namespace Vigil.Cli;

/// <summary>
/// The <c>vigil</c> command line: builds the command tree, parses, runs the chosen command and turns
/// every failure into an exit code and one line on stderr.
/// </summary>
/// <remarks>
/// Exit codes: 0 success, 1 a failure that is not the caller's input (I/O, a bug), 2 bad input.
/// Nothing escapes as a stack trace: scripts parse stderr, and a trace tells an operator nothing
/// they can act on.
/// </remarks>
internal static class VigilCli
{
    /// <summary>What <c>vigil --help</c> says the program is.</summary>
    public const string Description = "Vigil: a durable scheduler and run supervisor";

    /// <summary>
    /// Parser settings. Response files are off: <c>@daily</c> is a schedule macro, not a file to read
    /// arguments from.
    /// </summary>
    private static readonly ParserConfiguration ParserSettings = new() { ResponseFileTokenReplacer = null };

    /// <summary>Builds the command tree. New verbs are added here.</summary>
    public static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand(Description);
        root.Options.Add(ConfigFile.Option);
        root.Subcommands.Add(new RunCommand(context));
        root.Subcommands.Add(new ValidateCommand(context));
        root.Subcommands.Add(new ScheduleCommand(context));
        root.Subcommands.Add(new JobsCommand(context));
        root.Subcommands.Add(new RunsCommand(context));
        root.Subcommands.Add(new IncidentsCommand(context));
        root.Subcommands.Add(new DoctorCommand(context));
        root.Subcommands.Add(new DrainCommand(context));
        root.Subcommands.Add(new BenchCommand(context));
        root.Subcommands.Add(new ShimCommand(context));
        return root;
    }

    /// <summary>Runs one command line and returns the process exit code.</summary>
    public static int Run(string[] args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var exitCode = Execute(args, context);
        try
        {
            context.Flush();
        }
        catch (IOException)
        {
            // Output went to a closed pipe (e.g. "| head"): nothing left to tell anyone.
            exitCode = exitCode == ExitCodes.Ok ? ExitCodes.Failure : exitCode;
        }

        return exitCode;
    }

    private static int Execute(string[] args, CliContext context)
    {
        try
        {
            var parseResult = CreateRootCommand(context).Parse(args, ParserSettings);
            if (parseResult.Action is ParseErrorAction)
            {
                var message = parseResult.Errors[0].Message.TrimEnd('.');
                return Fail(context, ExitCodes.Usage, $"{message} (see '{CommandPath(parseResult)} --help')");
            }

            var invocation = new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
            };
            return parseResult.Invoke(invocation);
        }
        catch (UsageException e)
        {
            return Fail(context, ExitCodes.Usage, e.Message);
        }
        catch (Vigil.Operations.OperationException e)
        {
            return Fail(context, ExitCodes.Usage, e.Message);
        }
        catch (CommandFailedException e)
        {
            return Fail(context, ExitCodes.Failure, e.Message);
        }
        catch (IOException e)
        {
            return Fail(context, ExitCodes.Failure, e.Message);
        }
        catch (Exception e)
        {
            // The last resort: whatever is left becomes one line and an exit code, never a trace.
            return Fail(context, ExitCodes.Failure, $"unexpected error ({e.GetType().Name}): {e.Message}");
        }
    }

    private static int Fail(CliContext context, int exitCode, string message)
    {
        try
        {
            context.Error.WriteLine("vigil: " + CliText.OneLine(message));
        }
        catch (IOException)
        {
            // stderr is gone too; the exit code still says what happened.
        }

        return exitCode;
    }

    /// <summary>The words that name the command the parser stopped at, e.g. <c>vigil schedule next</c>.</summary>
    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Parent is null ? "vigil" : result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
