using Vigil.Cli;
using Vigil.Supervision.Shim;

// The run supervisor starts once per command run: it skips building the command tree, which costs
// more start-up time than the shim's own work. Its help is printed here: the parser shows none
// for a hidden command.
if (args is ["shim", var runDirectory])
{
    if (runDirectory is "--help" or "-h" or "-?")
    {
        Console.Out.Write(Vigil.Cli.Commands.ShimCommand.HelpText.ReplaceLineEndings("\n"));
        return 0;
    }

    if (!runDirectory.StartsWith('-'))
    {
        return await ShimHost.RunAsync(runDirectory, TimeProvider.System, Console.Error);
    }
}

// The only place the CLI touches the real console, environment and clock.
return VigilCli.Run(args, CliContext.FromConsole(TimeProvider.System));
