using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Vigil.Api.Tests;

/// <summary>
/// The real <c>vigil run</c> in a temporary directory, its API on a free loopback port (read from
/// its "API listening on" log line), with an <see cref="HttpClient"/> pointed at it.
/// </summary>
public sealed partial class ApiDaemon : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ApiDaemon(string directory, Process process)
    {
        Directory = directory;
        _process = process;
    }

    /// <summary>The daemon's directory (its config is <c>vigil.yaml</c> there).</summary>
    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "vigil.yaml");

    /// <summary>The API's base address.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>A client for the API; it sends no token unless the test adds one.</summary>
    public HttpClient Http { get; private set; } = new();

    /// <summary>What the daemon logged so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Writes <paramref name="config"/> to a new directory and starts the daemon on it.</summary>
    public static async Task<ApiDaemon> StartAsync(string config, IReadOnlyDictionary<string, string>? environment = null, string listen = "127.0.0.1:0")
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("vigil-api-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "vigil.yaml"), config);
        var daemon = new ApiDaemon(directory, Process.Start(StartInfo(directory, environment, "run", "--config", Path.Combine(directory, "vigil.yaml"), "--listen", listen))!);
        daemon.Collect();
        var first = await Task.WhenAny(daemon._listening.Task, daemon._exited.Task, Task.Delay(Patience));
        if (first != daemon._listening.Task)
        {
            var log = daemon.Log;
            await daemon.DisposeAsync();
            throw new InvalidOperationException($"the daemon did not start its API: {log}");
        }

        daemon.Address = await daemon._listening.Task;
        daemon.Http = new HttpClient { BaseAddress = daemon.Address, Timeout = Patience };
        return daemon;
    }

    /// <summary>Runs a <c>vigil</c> command to its end (e.g. <c>jobs list --json</c> against this daemon's config).</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> CliAsync(params string[] args) => RunAsync(Directory, null, [.. args, "--config", ConfigPath]);

    /// <summary>Runs <c>vigil</c> with its own arguments and environment to its end.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string directory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(directory, environment, args))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The CSRF token a state change without a bearer header must send.</summary>
    public async Task<string> CsrfAsync()
    {
        using var response = await Http.GetAsync("/api/csrf");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("csrf").GetString()!;
    }

    /// <summary>Sends a request with the CSRF header; <paramref name="json"/> becomes an application/json body.</summary>
    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Vigil-Csrf", await CsrfAsync());
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await ReadAsync(request);
    }

    public async Task<(int Status, JsonElement Body)> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await ReadAsync(request);
    }

    public async Task<(int Status, JsonElement Body)> ReadAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.Content.Headers.ContentType?.MediaType == "application/json",
            $"{request.Method} {request.RequestUri}: expected JSON, got {response.Content.Headers.ContentType} {(int)response.StatusCode}: {text}");
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Polls <paramref name="probe"/> until it returns a value (a deadline only a failing test reaches).</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what)
        where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (deadline.Elapsed > Patience)
            {
                throw new TimeoutException($"waited {Patience.TotalSeconds}s for {what}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits for the daemon to exit on its own.</summary>
    public async Task WaitForExitAsync()
    {
        using var cancel = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(cancel.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A run's child may still hold a file for a moment; the temporary directory is left.
        }
    }

    private static ProcessStartInfo StartInfo(string directory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vigil.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("VIGIL_TOKEN");
        start.Environment.Remove("VIGIL_CONFIG");
        start.Environment.Remove("TZ");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private void Collect()
    {
        _process.StandardInput.Close();
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => _exited.TrySetResult();
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            Append(e.Data);
            if (e.Data is { } line && ListeningLine().Match(line) is { Success: true } match)
            {
                _listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    [GeneratedRegex(@"API listening on (http://[^ ]+)")]
    private static partial Regex ListeningLine();
}
