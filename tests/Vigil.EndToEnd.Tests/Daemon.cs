using System.Diagnostics;

namespace Vigil.EndToEnd.Tests;

/// <summary>
/// A <c>vigil run</c> process: the real binary on the same <c>dotnet</c> host as the tests, its
/// stderr log kept line by line so a test can wait for a log line instead of sleeping.
/// </summary>
internal sealed class Daemon : IDisposable
{
    private readonly Process _process;
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];
    private readonly Task _stderr;
    private readonly Task _stdout;
    private TaskCompletionSource _lineAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Daemon(Process process)
    {
        _process = process;
        _stderr = PumpAsync(process.StandardError);
        _stdout = PumpAsync(process.StandardOutput);
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the daemon logged so far.</summary>
    public string Log
    {
        get
        {
            lock (_lock)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>
    /// Starts <c>vigil run --config <paramref name="config"/></c>, with <paramref name="environment"/>
    /// added to its environment; under <c>nohup</c> (SIGHUP ignored from the start) when <paramref name="nohup"/>.
    /// </summary>
    public static Daemon Start(string config, IReadOnlyDictionary<string, string>? environment = null, bool nohup = false)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(nohup ? "nohup" : host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(config)!,
        };
        if (nohup)
        {
            start.ArgumentList.Add(host);
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vigil.dll"));
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(config);

        // Many daemons run at once across the suite: each takes a free port for its HTTP API.
        start.ArgumentList.Add("--listen");
        start.ArgumentList.Add("127.0.0.1:0");
        start.Environment.Remove("TZ");
        start.Environment.Remove("VIGIL_CONFIG");
        start.Environment.Remove("NOTIFY_SOCKET");
        start.Environment.Remove("WATCHDOG_USEC");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start vigil");
        process.StandardInput.Close();
        return new Daemon(process);
    }

    /// <summary>Runs one <c>vigil</c> command (e.g. <c>jobs trigger</c>) against <paramref name="config"/> and returns its exit code and stdout.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(string config, TimeSpan patience, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(config)!,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vigil.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(config);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start vigil");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(patience);
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Waits until the daemon logs a line containing <paramref name="text"/> (counting from line <paramref name="fromLine"/>); returns that line's index.</summary>
    public async Task<int> WaitForLogAsync(string text, TimeSpan patience, int fromLine = 0)
    {
        using var limit = new CancellationTokenSource(patience);
        while (true)
        {
            Task added;
            lock (_lock)
            {
                for (var i = fromLine; i < _lines.Count; i++)
                {
                    if (_lines[i].Contains(text, StringComparison.Ordinal))
                    {
                        return i;
                    }
                }

                added = _lineAdded.Task;
            }

            if (_process.HasExited && _stderr.IsCompleted && !added.IsCompleted)
            {
                throw new InvalidOperationException($"vigil exited ({_process.ExitCode}) before logging \"{text}\":\n{Log}");
            }

            try
            {
                await Task.WhenAny(added, _process.WaitForExitAsync(limit.Token)).WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"vigil did not log \"{text}\" within {patience.TotalSeconds}s:\n{Log}");
            }
        }
    }

    /// <summary>The number of log lines so far (to wait for a line logged after this point).</summary>
    public int LineCount
    {
        get
        {
            lock (_lock)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>Sends <paramref name="signal"/> to the daemon process (not to its children).</summary>
    public void Signal(int signal)
    {
        Posix.Signal(_process.Id, signal);
    }

    /// <summary>Waits for the process to exit and returns its exit code (137 after SIGKILL).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan patience)
    {
        using var limit = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"vigil did not exit within {patience.TotalSeconds}s:\n{Log}");
        }

        await Task.WhenAll(_stderr, _stdout).WaitAsync(patience);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Signal(Posix.SigKill);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_lock)
            {
                _lines.Add(line);
                _lineAdded.TrySetResult();
                _lineAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }
}
