using System.Net;
using System.Net.Http.Headers;

namespace Vigil.Api.Tests;

/// <summary>The token, the login page, the session cookie, and the refusal to listen beyond loopback without a token.</summary>
public sealed class AuthTests
{
    private const string Config = """
        data_dir: ./data
        timezone: UTC
        server: { token_env: TEST_VIGIL_TOKEN }
        jobs:
          nightly:
            schedule: "0 22 * * *"
            run: { command: ["true"] }
        """;

    private const string Token = "s3cret-token-for-tests";

    [Fact]
    public async Task WithToken_EveryApiCallAndPageNeedsIt()
    {
        await using var daemon = await ApiDaemon.StartAsync(Config, new Dictionary<string, string> { ["TEST_VIGIL_TOKEN"] = Token });
        Assert.Contains("bearer token required", daemon.Log);

        using (var anonymous = await daemon.Http.GetAsync("/api/jobs"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Contains("\"error\"", await anonymous.Content.ReadAsStringAsync());
        }

        foreach (var path in new[] { "/metrics", "/openapi.json", "/api/runs", "/api/incidents", "/api/csrf" })
        {
            using var refused = await daemon.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/jobs"))
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token + "x");
            var (status, _) = await daemon.ReadAsync(wrong);
            Assert.Equal(401, status);
        }

        daemon.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var (ok, jobs) = await daemon.GetAsync("/api/jobs");
        Assert.Equal(200, ok);
        Assert.Equal("nightly", jobs[0].GetProperty("name").GetString());

        // A bearer call is not a browser's: it needs no CSRF header.
        using var pause = new HttpRequestMessage(HttpMethod.Post, "/api/jobs/nightly/pause");
        var (paused, _) = await daemon.ReadAsync(pause);
        Assert.Equal(200, paused);
    }

    [Fact]
    public async Task WithToken_PagesRedirectToLogin_AndTheSessionCookieNeedsCsrfForChanges()
    {
        await using var daemon = await ApiDaemon.StartAsync(Config, new Dictionary<string, string> { ["TEST_VIGIL_TOKEN"] = Token });
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = daemon.Address };

        using (var page = await browser.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.SeeOther, page.StatusCode);
            Assert.Equal("/login", page.Headers.Location?.OriginalString);
        }

        using (var health = await browser.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        using (var bad = await browser.PostAsync("/login", new FormUrlEncodedContent([new("token", "guess")])))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
            Assert.Empty(handler.CookieContainer.GetCookies(daemon.Address));
        }

        using (var login = await browser.PostAsync("/login", new FormUrlEncodedContent([new("token", Token)])))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            var cookie = handler.CookieContainer.GetCookies(daemon.Address).Single();
            Assert.True(cookie.HttpOnly);
            Assert.DoesNotContain(Token, cookie.Value, StringComparison.Ordinal);
        }

        using (var page = await browser.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("nightly", await page.Content.ReadAsStringAsync());
        }

        using (var forged = await browser.PostAsync("/api/jobs/nightly/pause", null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        }

        var csrf = System.Text.Json.JsonDocument.Parse(await browser.GetStringAsync("/api/csrf")).RootElement.GetProperty("csrf").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs/nightly/pause");
        request.Headers.Add("X-Vigil-Csrf", csrf);
        using var allowed = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task BeyondLoopback_WithoutToken_RefusesToStart()
    {
        var directory = Directory.CreateTempSubdirectory("vigil-api-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "vigil.yaml"), Config);
            var (exitCode, stdout, stderr) = await ApiDaemon.RunAsync(directory, null, "run", "--config", Path.Combine(directory, "vigil.yaml"), "--listen", "0.0.0.0:0");

            Assert.Equal(2, exitCode);
            Assert.Empty(stdout);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal("vigil: refusing to listen on 0.0.0.0:0 without a token: set $TEST_VIGIL_TOKEN (server.token_env) or listen on 127.0.0.1", line);
            Assert.False(File.Exists(Path.Combine(directory, "data", "vigil.db")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("--listen", "nowhere", "server.listen: \"nowhere\" is not host:port")]
    [InlineData("--listen", "example.org:80", "server.listen: \"example.org\" is not an IP address or localhost")]
    public async Task BadListenAddress_IsOneLineExit2(string option, string value, string message)
    {
        var directory = Directory.CreateTempSubdirectory("vigil-api-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "vigil.yaml"), Config);
            var (exitCode, _, stderr) = await ApiDaemon.RunAsync(directory, null, "run", "--config", Path.Combine(directory, "vigil.yaml"), option, value);

            Assert.Equal(2, exitCode);
            Assert.StartsWith("vigil: " + message, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
