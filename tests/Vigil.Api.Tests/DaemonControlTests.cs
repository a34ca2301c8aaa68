using System.Net;
using System.Net.Sockets;

namespace Vigil.Api.Tests;

/// <summary>Drain through the API, a port already taken, OTLP export.</summary>
public sealed class DaemonControlTests
{
    private const string Config = """
        data_dir: ./data
        timezone: UTC
        drain_timeout: 5s
        jobs:
          tick:
            every: 1s
            run: { command: ["true"] }
        """;

    [Fact]
    public async Task Drain_StopsTheDaemonCleanly()
    {
        await using var daemon = await ApiDaemon.StartAsync(Config);

        var (status, body) = await daemon.SendAsync(HttpMethod.Post, "/api/drain");
        await daemon.WaitForExitAsync();

        Assert.Equal(202, status);
        Assert.True(body.GetProperty("draining").GetBoolean());
        Assert.Equal(0, daemon.ExitCode);
        Assert.Contains("API drain: draining", daemon.Log);
    }

    [Fact]
    public async Task PortInUse_IsOneLineExit1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var directory = Directory.CreateTempSubdirectory("vigil-api-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "vigil.yaml"), Config);
            var (exitCode, _, stderr) = await ApiDaemon.RunAsync(directory, null, "run", "--config", Path.Combine(directory, "vigil.yaml"), "--listen", $"127.0.0.1:{port}");

            Assert.Equal(1, exitCode);
            var last = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
            Assert.StartsWith($"vigil: cannot listen on 127.0.0.1:{port}", last);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Otlp_WhenConfigured_PushesTheMetrics()
    {
        using var receiver = new TcpListener(IPAddress.Loopback, 0);
        receiver.Start();
        var port = ((IPEndPoint)receiver.LocalEndpoint).Port;
        var config = Config + $"\nmetrics: {{ otlp_endpoint: \"http://127.0.0.1:{port}\", otlp_interval: 500ms }}\n";
        await using var daemon = await ApiDaemon.StartAsync(config);

        using var cancel = new CancellationTokenSource(ApiDaemon.Patience);
        var request = await ReceiveOneAsync(receiver, cancel.Token);
        while (!request.Body.Contains("vigil.loop.heartbeat.age", StringComparison.Ordinal))
        {
            // The first export may come before every instrument has reported.
            request = await ReceiveOneAsync(receiver, cancel.Token);
        }

        Assert.StartsWith("POST /v1/metrics HTTP/1.1", request.Head);
        Assert.Contains("content-type: application/x-protobuf", request.Head.ToLowerInvariant());
        Assert.Contains("vigil.loop.heartbeat.age", request.Body);
    }

    /// <summary>Accepts connections until one carries a whole HTTP request with a body; answers 200.</summary>
    private static async Task<(string Head, string Body)> ReceiveOneAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var client = await listener.AcceptTcpClientAsync(cancellationToken);
            var stream = client.GetStream();
            var buffer = new List<byte>();
            var chunk = new byte[8192];
            int headEnd;
            while ((headEnd = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
            {
                var read = await stream.ReadAsync(chunk, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                buffer.AddRange(chunk.AsSpan(0, read).ToArray());
            }

            if (headEnd < 0)
            {
                continue;
            }

            var head = System.Text.Encoding.ASCII.GetString([.. buffer.Take(headEnd)]);
            var length = head.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                .Select(l => int.Parse(l["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
            var chunked = head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase);
            while (chunked ? !EndsWith(buffer, "0\r\n\r\n"u8.ToArray()) : buffer.Count < headEnd + 4 + length)
            {
                var read = await stream.ReadAsync(chunk, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                buffer.AddRange(chunk.AsSpan(0, read).ToArray());
            }

            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), cancellationToken);
            var body = System.Text.Encoding.Latin1.GetString([.. buffer.Skip(headEnd + 4)]);
            return (head, body);
        }
    }

    private static bool EndsWith(List<byte> haystack, byte[] tail) =>
        haystack.Count >= tail.Length && haystack.Skip(haystack.Count - tail.Length).SequenceEqual(tail);

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            if (haystack.Skip(i).Take(needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        return -1;
    }
}
