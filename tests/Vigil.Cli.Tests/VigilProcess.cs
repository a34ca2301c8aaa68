using System.Diagnostics;

namespace Vigil.Cli.Tests;

/// <summary>What one run of the real <c>vigil</c> binary did.</summary>
public sealed record VigilResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Lines(Stdout);

    public string[] StderrLines => Lines(Stderr);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// Runs the built <c>vigil</c> as a child process, exactly as an operator or script would.
/// </summary>
/// <remarks>
/// The project reference copies <c>vigil.dll</c> next to the test assembly; it runs on the same
/// <c>dotnet</c> host that runs the tests (<c>DOTNET_HOST_PATH</c>), so no machine path is assumed.
/// </remarks>
public static class VigilProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static Task<VigilResult> RunAsync(params string[] args) => RunAsync(args, stdin: null, environment: null);

    public static Task<VigilResult> RunWithStdinAsync(string stdin, params string[] args) => RunAsync(args, stdin, environment: null);

    public static Task<VigilResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(args, stdin: null, environment);

    /// <summary>Starts <c>vigil</c> in the background (the daemon), its output collected for diagnostics.</summary>
    public static BackgroundVigil Start(params string[] args)
    {
        var process = Process.Start(CreateStartInfo(args, environment: null)) ?? throw new InvalidOperationException("could not start vigil");
        return new BackgroundVigil(process, args);
    }

    private static ProcessStartInfo CreateStartInfo(string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vigil.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Tests pin their zone with --tz; $TZ is set only by the tests about it.
        start.Environment.Remove("TZ");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static async Task<VigilResult> RunAsync(string[] args, string? stdin, IReadOnlyDictionary<string, string>? environment)
    {
        using var process = Process.Start(CreateStartInfo(args, environment)) ?? throw new InvalidOperationException("could not start vigil");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"vigil {string.Join(' ', args)} did not exit within {Timeout.TotalSeconds}s");
        }

        return new VigilResult(process.ExitCode, (await stdout).Replace("\r\n", "\n", StringComparison.Ordinal), await stderr);
    }
}

/// <summary>A <c>vigil</c> process running in the background; disposing it kills it if it is still running.</summary>
public sealed class BackgroundVigil : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string[] _args;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    internal BackgroundVigil(Process process, string[] args)
    {
        _process = process;
        _args = args;
        _process.StandardInput.Close();
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the process to exit on its own and returns what it did.</summary>
    public async Task<VigilResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"vigil {string.Join(' ', _args)} did not exit within {timeout.TotalSeconds}s");
        }

        return new VigilResult(_process.ExitCode, await _stdout, await _stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
