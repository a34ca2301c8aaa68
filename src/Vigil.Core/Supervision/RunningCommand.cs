using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;

namespace Vigil.Supervision;

/// <summary>A started command: its process tree, its merged output and its outcome.</summary>
/// <remarks>
/// <para>
/// A dedicated thread waits for the child; the output is read asynchronously. The run ends when the
/// child exits, not when the pipe closes: a background process that inherited the pipe may hold it
/// open for ever, so after the exit the remaining output is drained for at most the drain window.
/// </para>
/// <para>
/// Processes the command leaves behind after a normal exit are not killed here; <see cref="Kill"/>
/// still reaches them if called.
/// </para>
/// </remarks>
internal sealed class RunningCommand : IRunningAction
{
    private const int ReadBufferSize = 16 * 1024;

    private readonly ProcessTree _tree;
    private readonly OutputTail _tail;
    private readonly string _resultFile;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _drain;
    private readonly CancellationTokenSource _readCancellation = new();
    private readonly TaskCompletionSource<ActionResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reader;
    private int _disposed;

    /// <summary>Takes over a child just started by <see cref="ProcessSpawner"/>.</summary>
    public RunningCommand(int pid, SafePipeHandle output, string resultFile, OutputTail tail, TimeProvider timeProvider, TimeSpan drain)
    {
        _tree = new ProcessTree(pid);
        _tail = tail;
        _resultFile = resultFile;
        _timeProvider = timeProvider;
        _drain = drain;
        _reader = PumpAsync(output, _readCancellation.Token);
        var waiter = new Thread(WaitForExit) { IsBackground = true, Name = $"vigil-wait-{pid}" };
        waiter.Start();
    }

    /// <summary>The child's pid, which is also its process group id and session id.</summary>
    public int ProcessId => _tree.Leader;

    /// <summary>The child's start time in clock ticks since boot (with its pid, its identity).</summary>
    public ulong ProcessStartTime => _tree.LeaderStart;

    /// <inheritdoc />
    public Task<ActionResult> Completion => _completion.Task;

    /// <inheritdoc />
    public long LastOutputTicks => _tail.LastOutputTicks;

    /// <inheritdoc />
    public string OutputTail => _tail.ToString();

    /// <inheritdoc />
    public void RequestStop() => _tree.Terminate();

    /// <inheritdoc />
    public void Kill() => _tree.KillAll();

    /// <summary>Stops reading output. Does not signal the process: the supervisor decides that.</summary>
    /// <remarks>The read end of the pipe is closed, so a child still running gets EPIPE (or SIGPIPE) on its next write.</remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _readCancellation.Cancel();
        }
    }

    private async Task PumpAsync(SafePipeHandle output, CancellationToken cancellationToken)
    {
        var stream = new AnonymousPipeClientStream(PipeDirection.In, output);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[ReadBufferSize];
            try
            {
                int count;
                while ((count = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    _tail.Append(buffer.AsSpan(0, count));
                }
            }
            catch (OperationCanceledException)
            {
                // Drain window over, or disposed: keep what the command wrote before that moment.
                ReadWhatIsBuffered(output, buffer);
            }
            catch (IOException)
            {
                // The pipe broke; what was read is kept.
            }
        }
    }

    /// <summary>Reads the bytes already in the pipe without waiting for more.</summary>
    private unsafe void ReadWhatIsBuffered(SafePipeHandle output, byte[] buffer)
    {
        var fd = (int)output.DangerousGetHandle();
        int available;
        while (Libc.ioctl(fd, Libc.FionRead, &available) == 0 && available > 0)
        {
            nint count;
            fixed (byte* start = buffer)
            {
                count = Libc.read(fd, start, (nuint)Math.Min(available, buffer.Length));
            }

            if (count <= 0)
            {
                return;
            }

            _tail.Append(buffer.AsSpan(0, (int)count));
        }
    }

    private void WaitForExit()
    {
        var status = _tree.WaitForLeader();
        _ = FinishAsync(status);
    }

    private async Task FinishAsync(int? status)
    {
        try
        {
            try
            {
                await _reader.WaitAsync(_drain, _timeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Something the command started still holds the pipe open.
                if (Volatile.Read(ref _disposed) == 0)
                {
                    _readCancellation.Cancel();
                }

                await _reader.ConfigureAwait(false);
            }

            _completion.TrySetResult(Outcome(status));
        }
        catch (Exception exception)
        {
            _completion.TrySetResult(new ActionResult
            {
                Success = false,
                Reason = $"cannot finish the run: {Reasons.Of(exception)}",
                Output = _tail.ToString(),
            });
        }
    }

    private ActionResult Outcome(int? status)
    {
        var output = _tail.ToString();
        if (status is not { } waitStatus)
        {
            return new ActionResult { Success = false, Reason = "exit status unavailable", Output = output };
        }

        if (ExitStatus.Signal(waitStatus) is { } signal)
        {
            return new ActionResult { Success = false, Reason = $"killed by signal {signal}", Output = output };
        }

        var exitCode = ExitStatus.ExitCode(waitStatus) ?? -1;
        var report = ResultFile.Read(_resultFile, out var resultError);
        var reason = exitCode != 0 ? $"exit code {exitCode}"
            : resultError is not null ? resultError
            : report?.Status == "failed" ? FailedReason(report.Summary)
            : null;
        return new ActionResult
        {
            Success = reason is null,
            Reason = reason,
            ExitCode = exitCode,
            Output = output,
            ResultStatus = report?.Status,
            Summary = report?.Summary,
            TokensIn = report?.TokensIn,
            TokensOut = report?.TokensOut,
        };
    }

    private static string FailedReason(string? summary) =>
        string.IsNullOrWhiteSpace(summary) ? "result file says failed" : $"result file says failed: {Reasons.OneLine(summary)}";
}
