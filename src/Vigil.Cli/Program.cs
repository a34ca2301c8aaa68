using Vigil.Cli;
using Vigil.Supervision.Shim;

// The run supervisor starts once per command run: it skips building the command tree, which costs
// more start-up time than the shim's own work ('vigil shim --help' still goes through it).
if (args is ["shim", var runDirectory] && !runDirectory.StartsWith('-'))
{
    return await ShimHost.RunAsync(runDirectory, TimeProvider.System, Console.Error);
}

// The only place the CLI touches the real console, environment and clock.
return VigilCli.Run(args, CliContext.FromConsole(TimeProvider.System));
