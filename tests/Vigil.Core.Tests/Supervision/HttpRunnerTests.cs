using System.Net;
using System.Net.Sockets;
using Vigil.Jobs;
using Vigil.Supervision;

namespace Vigil.Core.Tests.Supervision;

public sealed class HttpRunnerTests : IDisposable
{
    private const string Secret = "tok-SECRET-4242";

    private static readonly Dictionary<string, string> Variables = new()
    {
        ["INTEGRATE_TOKEN"] = Secret,
        ["TARGET"] = "nightly",
    };

    private readonly TempDirectory _temp = new();
    private readonly HttpRunner _runner = new(TimeProvider.System, environment: Variables.GetValueOrDefault);

    public void Dispose()
    {
        _runner.Dispose();
        _temp.Dispose();
    }

    private async Task<ActionResult> Run(HttpAction http, HttpRunner? runner = null)
    {
        using var action = (runner ?? _runner).Start(http, TestRuns.Context(_temp.Path));
        return await action.Finish();
    }

    [Fact]
    public async Task Start_Get2xx_SucceedsWithStatusAndBody()
    {
        await using var server = new LoopbackServer(200, "hello");

        var result = await Run(new HttpAction { Url = server.Url("/ping") });

        Assert.True(result.Success, result.Reason);
        Assert.Equal(200, result.ExitCode);
        Assert.Equal("hello", result.Output);
        var request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/ping", request.Target);
    }

    [Fact]
    public async Task Start_Placeholders_AreExpandedInUrlHeadersAndBody()
    {
        await using var server = new LoopbackServer(202, "");

        var result = await Run(new HttpAction
        {
            Method = "post",
            Url = server.Url("/integrate/${TARGET}?x=1"),
            Headers = new Dictionary<string, string>
            {
                ["Authorization"] = "Bearer ${INTEGRATE_TOKEN}",
                ["Content-Type"] = "application/json",
                ["X-Literal"] = "$TARGET",
            },
            Body = """{"job":"${TARGET}"}""",
        });

        Assert.True(result.Success, result.Reason);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/integrate/nightly?x=1", request.Target);
        Assert.Equal($"Bearer {Secret}", request.Headers["authorization"]);
        Assert.Equal("application/json", request.Headers["content-type"]);
        Assert.Equal("$TARGET", request.Headers["x-literal"]);
        Assert.Equal("""{"job":"nightly"}""", request.Body);
    }

    [Fact]
    public async Task Start_UnsetVariable_FailsWithoutSending()
    {
        await using var server = new LoopbackServer(200, "");

        var result = await Run(new HttpAction { Url = server.Url("/"), Headers = new Dictionary<string, string> { ["X-Key"] = "${NOPE}" } });

        Assert.False(result.Success);
        Assert.Equal("header X-Key: environment variable NOPE is not set", result.Reason);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData(500, new int[0], false, "HTTP 500, expected 2xx")]
    [InlineData(301, new int[0], false, "HTTP 301, expected 2xx")]
    [InlineData(204, new int[0], true, null)]
    [InlineData(200, new[] { 204 }, false, "HTTP 200, expected 204")]
    [InlineData(409, new[] { 200, 409 }, true, null)]
    [InlineData(404, new[] { 200, 204 }, false, "HTTP 404, expected 200 or 204")]
    public async Task Completion_Status_IsCheckedAgainstTheExpectation(int status, int[] expect, bool success, string? reason)
    {
        await using var server = new LoopbackServer(status, "body");

        var result = await Run(new HttpAction { Url = server.Url("/"), ExpectStatus = expect });

        Assert.Equal(success, result.Success);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(status, result.ExitCode);
    }

    [Fact]
    public async Task Completion_ConnectionRefused_FailsWithOneLine()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var result = await Run(new HttpAction { Url = $"http://127.0.0.1:{port}/", Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer ${INTEGRATE_TOKEN}" } });

        Assert.False(result.Success);
        Assert.Null(result.ExitCode);
        Assert.StartsWith("request failed: Connection refused", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Reason!);
        Assert.DoesNotContain(Secret, result.Reason!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestStop_HangingEndpoint_CancelsTheRequest()
    {
        await using var server = new LoopbackServer(async (_, stop) =>
        {
            await Task.Delay(Timeout.Infinite, stop);
            return (200, "");
        });
        using var action = _runner.Start(new HttpAction { Url = server.Url("/hang") }, TestRuns.Context(_temp.Path));
        await server.FirstRequest.WaitAsync(TestRuns.Patience);
        Assert.False(action.Completion.IsCompleted);

        action.RequestStop();
        var result = await action.Finish();

        Assert.False(result.Success);
        Assert.Equal("request cancelled", result.Reason);
    }

    [Fact]
    public async Task Kill_HangingEndpoint_CancelsTheRequest()
    {
        await using var server = new LoopbackServer(async (_, stop) =>
        {
            await Task.Delay(Timeout.Infinite, stop);
            return (200, "");
        });
        using var action = _runner.Start(new HttpAction { Url = server.Url("/hang") }, TestRuns.Context(_temp.Path));
        await server.FirstRequest.WaitAsync(TestRuns.Patience);

        action.Kill();
        var result = await action.Finish();

        Assert.Equal("request cancelled", result.Reason);
    }

    [Fact]
    public async Task Output_EndpointEchoesTheHeaders_SecretsAreRedacted()
    {
        await using var server = new LoopbackServer((request, _) =>
            Task.FromResult((500, string.Join('\n', request.Headers.Select(h => $"{h.Key}: {h.Value}")))));
        var http = new HttpAction
        {
            Url = server.Url("/echo"),
            Headers = new Dictionary<string, string>
            {
                ["Authorization"] = "Bearer ${INTEGRATE_TOKEN}",
                ["X-Api-Key"] = "literal-key-in-config",
            },
        };
        using var action = _runner.Start(http, TestRuns.Context(_temp.Path));

        var result = await action.Finish();

        Assert.False(result.Success);
        Assert.Contains("authorization: [redacted]", result.Output, StringComparison.Ordinal);
        foreach (var text in new[] { result.Output, result.Reason!, action.OutputTail })
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("literal-key-in-config", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Start_HeaderValueWithNewline_FailsWithoutShowingTheValue()
    {
        await using var server = new LoopbackServer(200, "");

        var result = await Run(new HttpAction
        {
            Url = server.Url("/"),
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer ${INTEGRATE_TOKEN}\r\nX-Injected: 1" },
        });

        Assert.False(result.Success);
        Assert.Equal("header Authorization cannot be sent", result.Reason);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/x", "url is not an absolute http or https URL")]
    [InlineData("/relative", "url is not an absolute http or https URL")]
    public async Task Start_BadUrl_FailsWithOneLine(string url, string reason)
    {
        var result = await Run(new HttpAction { Url = url });

        Assert.False(result.Success);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public async Task Output_LongerThanTheCap_KeepsTheEnd()
    {
        var body = string.Concat(Enumerable.Range(0, 1000).Select(i => $"{i}\n"));
        await using var server = new LoopbackServer(200, body);
        using var runner = new HttpRunner(TimeProvider.System, environment: Variables.GetValueOrDefault, outputCapacity: 100);

        var result = await Run(new HttpAction { Url = server.Url("/") }, runner);

        Assert.Equal(body[^100..], result.Output);
    }

    [Fact]
    public async Task LastOutputTicks_AdvancesWhenTheResponseArrives()
    {
        var clock = new ManualTimeProvider();
        var start = clock.GetUtcNow();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new LoopbackServer(async (_, stop) =>
        {
            await release.Task.WaitAsync(stop);
            return (200, "done");
        });
        using var runner = new HttpRunner(clock, environment: Variables.GetValueOrDefault);
        using var action = runner.Start(new HttpAction { Url = server.Url("/") }, TestRuns.Context(_temp.Path));
        await server.FirstRequest.WaitAsync(TestRuns.Patience);
        Assert.Equal(start.UtcTicks, action.LastOutputTicks);

        clock.Advance(TimeSpan.FromMinutes(3));
        release.SetResult();
        await action.Finish();

        Assert.Equal(start.AddMinutes(3).UtcTicks, action.LastOutputTicks);
    }
}
