namespace Vigil.Supervision;

/// <summary>An HTTP call in flight. Stopping it and killing it are the same thing: cancelling the request.</summary>
internal sealed class RunningHttpCall : IRunningAction
{
    private const int ReadBufferSize = 16 * 1024;

    private readonly HttpClient _client;
    private readonly IReadOnlyList<int> _expectStatus;
    private readonly Redactor _redactor;
    private readonly OutputTail _tail;
    private readonly CancellationTokenSource _cancellation = new();
    private int _disposed;

    /// <summary>Sends <paramref name="request"/> (and owns it from now on).</summary>
    public RunningHttpCall(HttpClient client, HttpRequestMessage request, IReadOnlyList<int> expectStatus, Redactor redactor, OutputTail tail)
    {
        _client = client;
        _expectStatus = expectStatus;
        _redactor = redactor;
        _tail = tail;
        Completion = RunAsync(request, _cancellation.Token);
    }

    /// <inheritdoc />
    public Task<ActionResult> Completion { get; }

    /// <inheritdoc />
    public long LastOutputTicks => _tail.LastOutputTicks;

    /// <inheritdoc />
    public string OutputTail => _redactor.Apply(_tail.ToString());

    /// <inheritdoc />
    public void RequestStop()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _cancellation.Cancel();
        }
    }

    /// <inheritdoc />
    /// <remarks>An HTTP call has nothing more to kill than its request.</remarks>
    public void Kill() => RequestStop();

    /// <summary>Cancels the request if it is still in flight.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _cancellation.Cancel();
        }
    }

    private async Task<ActionResult> RunAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Leave the caller's thread before anything slow (DNS, connect) can run on it.
        await Task.Yield();
        int? status = null;
        try
        {
            using (request)
            {
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                status = (int)response.StatusCode;
                _tail.Append([]);
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    var buffer = new byte[ReadBufferSize];
                    int count;
                    while ((count = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        _tail.Append(buffer.AsSpan(0, count));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Failed("request cancelled", status);
        }
        catch (HttpRequestException exception)
        {
            return Failed($"request failed: {Describe(exception)}", status);
        }
        catch (IOException exception)
        {
            return Failed($"response failed: {Describe(exception)}", status);
        }

        var expected = _expectStatus.Count == 0 ? status is >= 200 and <= 299 : _expectStatus.Contains(status.Value);
        return expected
            ? new ActionResult { Success = true, ExitCode = status, Output = OutputTail }
            : Failed($"HTTP {status}, expected {Expected()}", status);
    }

    private ActionResult Failed(string reason, int? status) =>
        new() { Success = false, Reason = _redactor.Apply(reason), ExitCode = status, Output = OutputTail };

    private string Expected() => _expectStatus.Count == 0 ? "2xx" : string.Join(" or ", _expectStatus);

    private static string Describe(Exception exception)
    {
        // "An error occurred while sending the request." says nothing; the inner exception says why.
        var message = exception.InnerException is { } inner && exception is HttpRequestException { HttpRequestError: HttpRequestError.Unknown }
            ? inner.Message
            : exception.Message;
        return Reasons.OneLine(message);
    }
}
