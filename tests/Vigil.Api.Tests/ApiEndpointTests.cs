using System.Net;
using System.Text;
using System.Text.Json;

namespace Vigil.Api.Tests;

/// <summary>Every endpoint against the real daemon on loopback, without a token.</summary>
public sealed class ApiEndpointTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task JobsList_MatchesTheCliJson()
    {
        var (status, jobs) = await Daemon.GetAsync("/api/jobs");
        var cli = await Daemon.CliAsync("jobs", "list", "--json");

        Assert.Equal(200, status);
        Assert.Equal(0, cli.ExitCode);
        var fromCli = JsonDocument.Parse(cli.Stdout).RootElement;
        string[] configJobs = ["boom", "nightly"];
        Assert.Subset(ApiFixture.Names(jobs).ToHashSet(), configJobs.ToHashSet());
        foreach (var name in configJobs)
        {
            var api = jobs.EnumerateArray().Single(j => j.GetProperty("name").GetString() == name);
            var line = fromCli.EnumerateArray().Single(j => j.GetProperty("name").GetString() == name);
            Assert.Equal(line.EnumerateObject().Select(p => p.Name), api.EnumerateObject().Select(p => p.Name));
            foreach (var field in new[] { "name", "schedule", "timezone", "enabled", "source", "description", "compiled" })
            {
                Assert.Equal(line.GetProperty(field).ToString(), api.GetProperty(field).ToString());
            }
        }

        var boom = jobs.EnumerateArray().Single(j => j.GetProperty("name").GetString() == "boom");
        Assert.Equal("every 1s", boom.GetProperty("schedule").GetString());

        // boom fails every second: between two runs its last run is the failed one, while one runs
        // it is that one. Read until a listing falls between two runs (a few seconds at most).
        var deadline = TimeProvider.System.GetTimestamp() + 30 * TimeProvider.System.TimestampFrequency;
        string? lastState;
        do
        {
            var (_, again) = await Daemon.GetAsync("/api/jobs");
            lastState = again.EnumerateArray().Single(j => j.GetProperty("name").GetString() == "boom")
                .GetProperty("last_run").GetProperty("state").GetString();
            if (lastState != "failed")
            {
                await Task.Delay(50);
            }
        }
        while (lastState != "failed" && TimeProvider.System.GetTimestamp() < deadline);

        Assert.Equal("failed", lastState);
    }

    [Fact]
    public async Task JobsShow_GivesDefinitionNextSlotsAndRuns()
    {
        var (status, job) = await Daemon.GetAsync("/api/jobs/nightly");

        Assert.Equal(200, status);
        Assert.Equal("nightly", job.GetProperty("name").GetString());
        Assert.Equal("Europe/Berlin", job.GetProperty("timezone").GetString());
        Assert.Equal(5, job.GetProperty("next_slots").GetArrayLength());
        Assert.All(job.GetProperty("next_slots").EnumerateArray(), s => Assert.Matches("T2[01]:00:00Z$", s.GetString()!));
        Assert.Equal("echo", job.GetProperty("definition").GetProperty("run").GetProperty("command")[0].GetString());
    }

    [Fact]
    public async Task ApiJob_CreateEditPauseResumeTriggerRemove()
    {
        var (created, job) = await Daemon.SendAsync(HttpMethod.Post, "/api/jobs", """{"name":"backup","schedule":"daily at 03:00","timezone":"Europe/Berlin","command":["echo","backed up"]}""");
        Assert.Equal(201, created);
        Assert.Equal("api", job.GetProperty("source").GetString());
        Assert.Equal("0 3 * * *", job.GetProperty("compiled").GetString());

        var (duplicate, error) = await Daemon.SendAsync(HttpMethod.Post, "/api/jobs", """{"name":"backup","schedule":"hourly","command":["true"]}""");
        Assert.Equal(409, duplicate);
        Assert.Contains("already exists", error.GetProperty("error").GetString());

        var (edited, changed) = await Daemon.SendAsync(HttpMethod.Patch, "/api/jobs/backup", """{"timeout":"10m","schedule":"every 1h","on_stop":"drain"}""");
        Assert.Equal(200, edited);
        Assert.True(changed.GetProperty("changed").GetBoolean());
        Assert.Equal("every 1h", changed.GetProperty("schedule").GetString());
        var (_, shown) = await Daemon.GetAsync("/api/jobs/backup");
        Assert.Equal("drain", shown.GetProperty("definition").GetProperty("on_stop").GetString());

        var (paused, pause) = await Daemon.SendAsync(HttpMethod.Post, "/api/jobs/backup/pause");
        Assert.Equal(200, paused);
        Assert.True(pause.GetProperty("changed").GetBoolean());
        var (_, afterPause) = await Daemon.GetAsync("/api/jobs/backup");
        Assert.Equal("paused", afterPause.GetProperty("state").GetString());
        var (_, again) = await Daemon.SendAsync(HttpMethod.Post, "/api/jobs/backup/pause");
        Assert.False(again.GetProperty("changed").GetBoolean());
        var (resumed, _) = await Daemon.SendAsync(HttpMethod.Post, "/api/jobs/backup/resume");
        Assert.Equal(200, resumed);

        var (triggered, run) = await Daemon.SendAsync(HttpMethod.Post, "/api/jobs/backup/trigger");
        Assert.Equal(201, triggered);
        Assert.Equal("manual", run.GetProperty("trigger").GetString());
        var runId = run.GetProperty("id").GetInt64();
        var finished = await ApiDaemon.WaitForAsync(
            async () =>
            {
                var (_, r) = await Daemon.GetAsync($"/api/runs/{runId}");
                return r.GetProperty("state").GetString() is "succeeded" ? (object)r : null;
            },
            "the triggered run to succeed");
        Assert.NotNull(finished);
        using (var logs = await Daemon.Http.GetAsync($"/api/runs/{runId}/logs"))
        {
            Assert.Equal("text/plain", logs.Content.Headers.ContentType?.MediaType);
            Assert.Equal("backed up\n", await logs.Content.ReadAsStringAsync());
        }

        var (removed, removal) = await Daemon.SendAsync(HttpMethod.Delete, "/api/jobs/backup");
        Assert.Equal(200, removed);
        Assert.True(removal.GetProperty("removed").GetBoolean());
        var (_, list) = await Daemon.GetAsync("/api/jobs");
        Assert.Equal("removed", list.EnumerateArray().Single(j => j.GetProperty("name").GetString() == "backup").GetProperty("state").GetString());
    }

    [Fact]
    public async Task ConfigJob_EditAndRemoveAreRefused()
    {
        var (edit, error) = await Daemon.SendAsync(HttpMethod.Patch, "/api/jobs/nightly", """{"timeout":"5m"}""");
        var (remove, _) = await Daemon.SendAsync(HttpMethod.Delete, "/api/jobs/nightly");

        Assert.Equal(409, edit);
        Assert.Contains("edit the file instead", error.GetProperty("error").GetString());
        Assert.Equal(409, remove);
    }

    [Fact]
    public async Task RunsList_FiltersAndPages()
    {
        var (status, first) = await Daemon.GetAsync("/api/runs?job=boom&state=failed&limit=2");
        Assert.Equal(200, status);
        var runs = first.GetProperty("runs");
        Assert.Equal(2, runs.GetArrayLength());
        Assert.All(runs.EnumerateArray(), r =>
        {
            Assert.Equal("boom", r.GetProperty("job").GetString());
            Assert.Equal("failed", r.GetProperty("state").GetString());
        });
        var before = first.GetProperty("next_before").GetInt64();
        Assert.Equal(runs[1].GetProperty("id").GetInt64(), before);

        var (_, second) = await Daemon.GetAsync($"/api/runs?job=boom&state=failed&limit=2&before={before}");
        var next = second.GetProperty("runs");
        Assert.True(next.GetArrayLength() >= 1);
        Assert.All(next.EnumerateArray(), r => Assert.True(r.GetProperty("id").GetInt64() < before));

        var (_, since) = await Daemon.GetAsync("/api/runs?since=2000-01-01T00:00:00Z&limit=1");
        Assert.Equal(1, since.GetProperty("runs").GetArrayLength());
        var (_, none) = await Daemon.GetAsync("/api/runs?job=nightly&state=succeeded");
        Assert.Equal(0, none.GetProperty("runs").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, none.GetProperty("next_before").ValueKind);
    }

    [Fact]
    public async Task RunShow_AndRetry_AddAnAttempt()
    {
        var failed = (await fixture.FailedRunsAsync()).Last();
        var (shown, run) = await Daemon.GetAsync($"/api/runs/{failed}");
        Assert.Equal(200, shown);
        Assert.Equal("exit code 3", run.GetProperty("reason").GetString());
        Assert.Equal(1, run.GetProperty("attempts").GetArrayLength());
        Assert.True(run.GetProperty("output_chars").GetInt32() > 0);

        var (retried, retry) = await Daemon.SendAsync(HttpMethod.Post, $"/api/runs/{failed}/retry");
        Assert.Equal(201, retried);
        Assert.Equal(2, retry.GetProperty("attempt").GetInt32());
        Assert.Equal(run.GetProperty("slot").GetString(), retry.GetProperty("slot").GetString());

        var (_, after) = await Daemon.GetAsync($"/api/runs/{failed}");
        Assert.Equal(2, after.GetProperty("attempts").GetArrayLength());
        var (succeeded, _) = await Daemon.GetAsync("/api/runs?state=succeeded&job=boom");
        Assert.Equal(200, succeeded);
    }

    [Fact]
    public async Task Incidents_ListAndAck()
    {
        var (status, open) = await Daemon.GetAsync("/api/incidents?job=boom&state=open&kind=failed_streak");
        Assert.Equal(200, status);
        var incident = open[0];
        Assert.Equal("failed_streak", incident.GetProperty("kind").GetString());
        var id = incident.GetProperty("id").GetInt64();

        var (acked, body) = await Daemon.SendAsync(HttpMethod.Post, $"/api/incidents/{id}/ack");
        Assert.Equal(200, acked);
        Assert.Equal("acknowledged", body.GetProperty("state").GetString());
        Assert.NotEqual(JsonValueKind.Null, body.GetProperty("acknowledged_at").ValueKind);

        var (twice, error) = await Daemon.SendAsync(HttpMethod.Post, $"/api/incidents/{id}/ack");
        Assert.Equal(409, twice);
        Assert.Contains("only an open incident", error.GetProperty("error").GetString());
        var (missing, _) = await Daemon.SendAsync(HttpMethod.Post, "/api/incidents/999999/ack");
        Assert.Equal(404, missing);
    }

    [Fact]
    public async Task Probes_AreLiveAndReady()
    {
        var (health, live) = await Daemon.GetAsync("/healthz");
        var (ready, readiness) = await Daemon.GetAsync("/readyz");

        Assert.Equal(200, health);
        Assert.Equal("ok", live.GetProperty("status").GetString());
        Assert.True(live.GetProperty("loop_age_seconds").GetDouble() < 120);
        Assert.Equal(200, ready);
        Assert.Equal("ready", readiness.GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenApi_ListsEveryRoute()
    {
        var (status, document) = await Daemon.GetAsync("/openapi.json");
        Assert.Equal(200, status);
        Assert.Equal("3.1.0", document.GetProperty("openapi").GetString());
        var paths = document.GetProperty("paths");
        (string Path, string Method)[] expected =
        [
            ("/api/jobs", "get"), ("/api/jobs", "post"), ("/api/jobs/{name}", "get"), ("/api/jobs/{name}", "patch"),
            ("/api/jobs/{name}", "delete"), ("/api/jobs/{name}/pause", "post"), ("/api/jobs/{name}/resume", "post"),
            ("/api/jobs/{name}/trigger", "post"), ("/api/runs", "get"), ("/api/runs/{id}", "get"), ("/api/runs/{id}/logs", "get"),
            ("/api/runs/{id}/retry", "post"), ("/api/incidents", "get"), ("/api/incidents/{id}", "get"), ("/api/incidents/{id}/ack", "post"),
            ("/api/drain", "post"), ("/api/csrf", "get"), ("/healthz", "get"), ("/readyz", "get"), ("/metrics", "get"), ("/openapi.json", "get"),
            ("/", "get"), ("/jobs/{name}", "get"), ("/runs", "get"), ("/runs/{id}", "get"), ("/incidents", "get"), ("/login", "get"), ("/login", "post"),
        ];
        foreach (var (path, method) in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out var operation) && operation.GetProperty("summary").GetString()!.Length > 0, $"{method} {path} missing");
        }

        Assert.Equal(expected.Length, paths.EnumerateObject().Sum(p => p.Value.EnumerateObject().Count()));
    }

    [Theory]
    [InlineData("POST", "/api/jobs", "{\"name\": \"x\", ", 400, "malformed JSON")]
    [InlineData("POST", "/api/jobs", "[1, 2]", 400, "must be a JSON object")]
    [InlineData("POST", "/api/jobs", "{\"name\":\"bad1\",\"schedule\":\"0 25 * * *\",\"command\":[\"true\"]}", 400, "hour 25 is outside 0-23")]
    [InlineData("POST", "/api/jobs", "{\"name\":\"bad2\",\"schedule\":\"hourly\",\"command\":\"true\"}", 400, "\"command\" must be an array of strings")]
    [InlineData("POST", "/api/jobs", "{\"name\":\"bad3\",\"schedule\":\"hourly\",\"command\":[\"true\"],\"colour\":\"red\"}", 400, "unknown field \"colour\"")]
    [InlineData("POST", "/api/jobs", "{\"name\":\"bad4\",\"schedule\":\"hourly\"}", 400, "missing the action")]
    [InlineData("POST", "/api/jobs", "{\"name\":\"bad5\",\"schedule\":\"hourly\",\"timezone\":\"Mars/Olympus\",\"command\":[\"true\"]}", 400, "timezone:")]
    [InlineData("POST", "/api/jobs", "{\"name\":\"-bad\",\"schedule\":\"hourly\",\"command\":[\"true\"]}", 400, "is not valid")]
    [InlineData("POST", "/api/jobs", "{\"schedule\":\"hourly\",\"command\":[\"true\"]}", 400, "missing \"name\"")]
    [InlineData("POST", "/api/jobs", "{\"name\":\"bad6\",\"schedule\":\"hourly\",\"http_url\":\"http://127.0.0.1:9/\",\"on_stop\":\"detach\"}", 400, "on_stop: detach applies to command actions only")]
    [InlineData("PATCH", "/api/jobs/ghost", "{\"timeout\":\"5m\"}", 404, "no job named \"ghost\"")]
    [InlineData("PATCH", "/api/jobs/ghost", "{}", 400, "nothing to change")]
    [InlineData("POST", "/api/jobs/ghost/trigger", null, 404, "no job named \"ghost\"")]
    [InlineData("POST", "/api/jobs/ghost/pause", null, 404, "no job named \"ghost\"")]
    [InlineData("DELETE", "/api/jobs/ghost", null, 404, "no job named \"ghost\"")]
    [InlineData("GET", "/api/jobs/ghost", null, 404, "no job named \"ghost\"")]
    [InlineData("GET", "/api/runs/abc", null, 400, "invalid run id")]
    [InlineData("GET", "/api/runs/99999999", null, 404, "no run with id 99999999")]
    [InlineData("POST", "/api/runs/99999999/retry", null, 404, "no run with id 99999999")]
    [InlineData("GET", "/api/runs?state=exploded", null, 400, "invalid state \"exploded\"")]
    [InlineData("GET", "/api/runs?since=yesterday", null, 400, "invalid since")]
    [InlineData("GET", "/api/runs?limit=0", null, 400, "invalid limit")]
    [InlineData("GET", "/api/runs?job=ghost", null, 404, "no job named \"ghost\"")]
    [InlineData("GET", "/api/incidents?state=sleepy", null, 400, "invalid state")]
    [InlineData("GET", "/api/nothing-here", null, 404, "no route GET /api/nothing-here")]
    [InlineData("PUT", "/api/jobs", "{}", 405, "not allowed")]
    public async Task BadInput_Gets4xxWithOneClearLine(string method, string path, string? body, int status, string message)
    {
        var (actual, error) = await Daemon.SendAsync(new HttpMethod(method), path, body);

        Assert.Equal(status, actual);
        var text = error.GetProperty("error").GetString()!;
        Assert.Contains(message, text);
        Assert.DoesNotContain("\n", text);
        Assert.DoesNotContain("   at ", text);
    }

    [Fact]
    public async Task OversizedBody_Gets413()
    {
        var huge = "{\"name\":\"big\",\"schedule\":\"hourly\",\"command\":[\"" + new string('x', 200_000) + "\"]}";
        var (status, error) = await Daemon.SendAsync(HttpMethod.Post, "/api/jobs", huge);

        Assert.Equal(413, status);
        Assert.Contains("too large", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task WrongContentType_Gets415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Headers.Add("X-Vigil-Csrf", await Daemon.CsrfAsync());
        var (status, error) = await Daemon.ReadAsync(request);

        Assert.Equal(415, status);
        Assert.Contains("application/json", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task StateChange_WithoutCsrfHeader_IsRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs/nightly/pause");
        request.Headers.Add("Origin", "http://evil.example");
        var (status, error) = await Daemon.ReadAsync(request);
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/jobs/nightly/pause");
        wrong.Headers.Add("X-Vigil-Csrf", "guessed");
        var (wrongStatus, _) = await Daemon.ReadAsync(wrong);

        Assert.Equal(403, status);
        Assert.Contains("X-Vigil-Csrf", error.GetProperty("error").GetString());
        Assert.Equal(403, wrongStatus);
        var (_, job) = await Daemon.GetAsync("/api/jobs/nightly");
        Assert.Equal("enabled", job.GetProperty("state").GetString());
    }

    [Fact]
    public async Task ForeignHostHeader_IsRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
        request.Headers.Host = "rebound.example:" + Daemon.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (status, error) = await Daemon.ReadAsync(request);

        Assert.Equal(403, status);
        Assert.Contains("rebound.example", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Pages_EscapeOutputAndCarryCsp()
    {
        var failed = (await fixture.FailedRunsAsync()).First();
        using var response = await Daemon.Http.GetAsync($"/runs/{failed}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; boom", html);
        Assert.DoesNotContain("<script>alert(1)", html);
    }
}
