using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vigil.Core.Tests.Supervision;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 with a free port: one request per connection, answered by
/// a test-supplied function (which may never answer, to model a hanging endpoint).
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<ReceivedRequest, CancellationToken, Task<(int Status, string Body)>> _respond;
    private readonly TaskCompletionSource<ReceivedRequest> _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _accepting;

    public LoopbackServer(Func<ReceivedRequest, CancellationToken, Task<(int Status, string Body)>> respond)
    {
        _respond = respond;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public LoopbackServer(int status, string body)
        : this((_, _) => Task.FromResult((status, body)))
    {
    }

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Completes when the first request has been read.</summary>
    public Task<ReceivedRequest> FirstRequest => _firstRequest.Task;

    public string Url(string pathAndQuery) => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{pathAndQuery}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream, _stop.Token);
                Requests.Enqueue(request);
                _firstRequest.TrySetResult(request);
                var (status, body) = await _respond(request, _stop.Token);
                var payload = Encoding.UTF8.GetBytes(body);
                var head = $"HTTP/1.1 {status} Status\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                await stream.WriteAsync(payload, _stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException)
            {
                // The server is stopping or the client went away.
            }
        }
    }

    private static async Task<ReceivedRequest> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("connection closed before the request ended");
            }

            head.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .ToDictionary(pair => pair[0].Trim().ToLowerInvariant(), pair => pair[1].Trim());
        var body = new byte[headers.TryGetValue("content-length", out var length) ? int.Parse(length, System.Globalization.CultureInfo.InvariantCulture) : 0];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return new ReceivedRequest(requestLine[0], requestLine[1], headers, Encoding.UTF8.GetString(body));
    }
}
