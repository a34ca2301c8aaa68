using Vigil.Cli;

// The only place the CLI touches the real console, environment and clock.
return VigilCli.Run(args, CliContext.FromConsole(TimeProvider.System));
