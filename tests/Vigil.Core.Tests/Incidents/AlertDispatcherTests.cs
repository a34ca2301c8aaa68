using System.Text.Json;
using Vigil.Alerts;
using Vigil.Core.Tests.Supervision;
using Vigil.Incidents;
using Vigil.Storage.Sqlite;

namespace Vigil.Core.Tests.Incidents;

/// <summary>The outbox delivered to real sinks: an HTTP listener on loopback and a real command.</summary>
public sealed class AlertDispatcherTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly ManualTimeProvider _clock = new(T0);
    private readonly ListLogger _log = new();
    private readonly HttpClient _http = new();
    private TempDirectory _temp = null!;
    private SqliteRunStore _store = null!;

    public async Task InitializeAsync()
    {
        _temp = new TempDirectory();
        _store = await SqliteRunStore.OpenAsync(_temp.File("ledger.db"), Ct);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    private AlertDispatcher Dispatcher(params IAlertSink[] sinks) =>
        new(_store, [new LogSink(_log), .. sinks], new IncidentOptions { AlertBackoff = TimeSpan.FromSeconds(5) }, _clock, _log);

    private async Task<IncidentRecord> OpenAsync(string job = "nightly", IncidentKind kind = IncidentKind.TimedOut)
    {
        var result = await _store.ApplyIncidentBatchAsync(
            new IncidentBatch { Changes = [new IncidentOccurrence { Job = job, Kind = kind, Detail = "run 7 timed out: timeout 1h exceeded", RunId = 7 }] },
            _clock.GetUtcNow(),
            Ct);
        return Assert.Single(result.Opened);
    }

    [Fact]
    public async Task ReplaceSinks_BrokenWebhookReplacedByAWorkingOne_NoticeGoesToTheNewSinkOnlyAndNotAgainToTheKeptOne()
    {
        await using var broken = new LoopbackServer((_, _) => Task.FromResult((503, string.Empty)));
        await using var working = new LoopbackServer((_, _) => Task.FromResult((200, string.Empty)));
        var received = _temp.File("command.jsonl");
        var command = new CommandSink(["sh", "-c", "cat >> \"$0\"; echo >> \"$0\"", received]);
        var dispatcher = Dispatcher(new WebhookSink(_http, broken.Url("/hook"), WebhookFormat.Json), command);
        await OpenAsync();
        Assert.Equal(0, await dispatcher.DeliverDueAsync(Ct));

        // A reload: the webhook's URL is fixed, the command is kept (same argv, same id).
        dispatcher.ReplaceSinks([new LogSink(_log), new WebhookSink(_http, working.Url("/hook"), WebhookFormat.Json), new CommandSink(["sh", "-c", "cat >> \"$0\"; echo >> \"$0\"", received])]);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, await dispatcher.DeliverDueAsync(Ct));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await dispatcher.DeliverDueAsync(Ct));

        Assert.Single(broken.Requests);
        Assert.Single(working.Requests);
        Assert.Single(await File.ReadAllLinesAsync(received), l => l.Length > 0);
    }

    [Fact]
    public async Task DeliverDueAsync_ListenerFailingTwice_RetriesWithBackoffUntilTakenAndNeverResendsToSinksThatTookIt()
    {
        var answers = new Queue<int>([503, 500, 200]);
        await using var server = new LoopbackServer((_, _) => Task.FromResult((answers.Dequeue(), string.Empty)));
        var received = _temp.File("command.jsonl");
        var dispatcher = Dispatcher(
            new WebhookSink(_http, server.Url("/hook"), WebhookFormat.Json),
            new CommandSink(["sh", "-c", "cat >> \"$0\"; echo >> \"$0\"", received]));
        var incident = await OpenAsync();

        Assert.Equal(0, await dispatcher.DeliverDueAsync(Ct));
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, await dispatcher.DeliverDueAsync(Ct));
        Assert.Single(server.Requests);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await dispatcher.DeliverDueAsync(Ct));
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await dispatcher.DeliverDueAsync(Ct));
        Assert.Equal(2, server.Requests.Count);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await dispatcher.DeliverDueAsync(Ct));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await dispatcher.DeliverDueAsync(Ct));

        Assert.Equal(3, server.Requests.Count);
        using var body = JsonDocument.Parse(server.Requests.Last().Body);
        Assert.Equal("opened", body.RootElement.GetProperty("event").GetString());
        Assert.Equal(incident.Id, body.RootElement.GetProperty("incident").GetProperty("id").GetInt64());
        Assert.Equal("timed_out", body.RootElement.GetProperty("incident").GetProperty("kind").GetString());
        Assert.Equal("nightly", body.RootElement.GetProperty("incident").GetProperty("job").GetString());
        Assert.Equal("application/json; charset=utf-8", server.Requests.Last().Headers["content-type"]);
        var lines = await File.ReadAllLinesAsync(received);
        Assert.Single(lines, l => l.Length > 0);
        Assert.Single(_log.Lines, l => l.Contains("ALERT opened: incident", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, l => l.Contains("HTTP 503", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeliverDueAsync_SlackAndTelegramFormats_SendTheBodiesThoseServicesAccept()
    {
        await using var server = new LoopbackServer(200, "{\"ok\":true}");
        var dispatcher = Dispatcher(
            new WebhookSink(_http, server.Url("/slack"), WebhookFormat.Slack),
            new WebhookSink(_http, server.Url("/bot123:ABC/sendMessage"), WebhookFormat.Telegram, chatId: "-1001234"));
        await OpenAsync();

        Assert.Equal(1, await dispatcher.DeliverDueAsync(Ct));

        var slack = server.Requests.Single(r => r.Target == "/slack");
        using var slackBody = JsonDocument.Parse(slack.Body);
        Assert.Equal(["text"], slackBody.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("[vigil] OPENED timed_out nightly (incident 1, count 1", slackBody.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
        var telegram = server.Requests.Single(r => r.Target == "/bot123:ABC/sendMessage");
        using var telegramBody = JsonDocument.Parse(telegram.Body);
        Assert.Equal(["chat_id", "text"], telegramBody.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("-1001234", telegramBody.RootElement.GetProperty("chat_id").GetString());
    }

    [Fact]
    public async Task DeliverDueAsync_FailingWebhookWithSecretsInUrlAndHeader_NeverLogsOrStoresThem()
    {
        await using var server = new LoopbackServer(401, "bad token");
        var environment = new Dictionary<string, string> { ["HOOK_TOKEN"] = "s3cret-path-token", ["AUTH"] = "Bearer s3cret-header-token" };
        var sink = new WebhookSink(
            _http,
            server.Url("/hooks/${HOOK_TOKEN}"),
            WebhookFormat.Json,
            headers: [new("Authorization", "${AUTH}")],
            environment: n => environment.GetValueOrDefault(n));
        var dispatcher = Dispatcher(sink);
        await OpenAsync();
        await dispatcher.DeliverDueAsync(Ct);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/hooks/s3cret-path-token", request.Target);
        Assert.Equal("Bearer s3cret-header-token", request.Headers["authorization"]);
        var stored = Assert.Single(await _store.ListDueAlertsAsync(_clock.GetUtcNow().AddHours(1), 10, Ct));
        Assert.Contains("HTTP 401", stored.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", stored.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", _log.All, StringComparison.Ordinal);
        Assert.DoesNotContain("/hooks/", _log.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliverDueAsync_ListenerNotThere_RecordsTheErrorWithoutTheUrlPath()
    {
        string url;
        await using (var gone = new LoopbackServer(200, string.Empty))
        {
            url = gone.Url("/T000/B000/XXXXSECRET");
        }

        var dispatcher = Dispatcher(new WebhookSink(_http, url, WebhookFormat.Slack));
        await OpenAsync();
        await dispatcher.DeliverDueAsync(Ct);

        var stored = Assert.Single(await _store.ListDueAlertsAsync(_clock.GetUtcNow().AddHours(1), 10, Ct));
        Assert.StartsWith("webhook-", stored.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("XXXXSECRET", stored.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("XXXXSECRET", _log.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandSink_ReadsTheIncidentOnStdin_AndAFailingCommandIsRetried()
    {
        var received = _temp.File("incident.json");
        var dispatcher = Dispatcher(new CommandSink(["sh", "-c", "cat > \"$0\"", received]), new CommandSink(["sh", "-c", "echo 'pager down' >&2; exit 3"]));
        var incident = await OpenAsync("heartbeat", IncidentKind.Missed);

        Assert.Equal(0, await dispatcher.DeliverDueAsync(Ct));

        using var body = JsonDocument.Parse(await File.ReadAllTextAsync(received));
        Assert.Equal(incident.Id, body.RootElement.GetProperty("incident").GetProperty("id").GetInt64());
        Assert.Equal("missed", body.RootElement.GetProperty("incident").GetProperty("kind").GetString());
        var stored = Assert.Single(await _store.ListDueAlertsAsync(_clock.GetUtcNow().AddHours(1), 10, Ct));
        Assert.Contains("exit code 3: pager down", stored.LastError, StringComparison.Ordinal);
        Assert.Equal(2, stored.DeliveredTo.Count);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(4, 40)]
    [InlineData(20, 900)]
    public void Backoff_DoublesFromTheFirstAndStopsAtTheMaximum(int attempt, int seconds)
    {
        var dispatcher = new AlertDispatcher(_store, [], new IncidentOptions(), _clock, _log);

        Assert.Equal(TimeSpan.FromSeconds(seconds), dispatcher.Backoff(attempt));
    }
}
