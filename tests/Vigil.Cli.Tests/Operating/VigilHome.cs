using System.Globalization;
using System.Text.Json;

namespace Vigil.Cli.Tests.Operating;

/// <summary>
/// A temporary directory holding a <c>vigil.yaml</c> (with <c>data_dir: ./data</c>) and the real
/// <c>vigil</c> binary run against it.
/// </summary>
public sealed class VigilHome : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public VigilHome(string config)
    {
        Root = Directory.CreateTempSubdirectory("vigil-cli-").FullName;
        ConfigPath = Path.Combine(Root, "vigil.yaml");
        File.WriteAllText(ConfigPath, config);
    }

    public string Root { get; }

    public string ConfigPath { get; }

    /// <summary>Runs <c>vigil ARGS --config vigil.yaml</c>.</summary>
    public Task<VigilResult> RunAsync(params string[] args) => VigilProcess.RunAsync([.. args, "--config", ConfigPath]);

    /// <summary>Runs a command with <c>--json</c>, asserts it succeeded and returns the parsed document.</summary>
    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        var result = await RunAsync([.. args, "--json"]);
        Assert.True(result.ExitCode == 0, $"vigil {string.Join(' ', args)} --json exited {result.ExitCode}: {result.Stderr}");
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    /// <summary>Runs a command that prints one run id and returns it.</summary>
    public async Task<long> RunIdAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"vigil {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return long.Parse(result.Stdout.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Starts <c>vigil run</c> on this config.</summary>
    /// <summary>Starts the daemon on this home's config, its HTTP API on a free port (tests run many daemons at once).</summary>
    public BackgroundVigil StartDaemon() => VigilProcess.Start("run", "--config", ConfigPath, "--listen", "127.0.0.1:0");

    /// <summary>Asks <paramref name="probe"/> until it answers non-null; fails after <paramref name="timeout"/>.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (await probe() is { } answer)
            {
                return answer;
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds}s");
            }

            await Task.Delay(PollInterval, CancellationToken.None);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A child still writing into it; the temp directory is cleaned up by the system eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
