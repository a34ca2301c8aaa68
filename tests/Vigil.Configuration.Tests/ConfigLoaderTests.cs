using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Configuration.Tests;

public class ConfigLoaderTests
{
    /// <summary>The example from PRODUCT.md "Configuration", as written there.</summary>
    private const string ProductExample = """
        data_dir: ./vigil-data          # relative to this file; the SQLite ledger lives here
        # storage: postgres://vigil@127.0.0.1:5432/vigil   # several nodes share one PostgreSQL
        node: gw-1                      # default: host name
        timezone: Europe/Berlin         # default zone for jobs (default: the host's zone)
        server: { listen: 127.0.0.1:7878, token_env: VIGIL_TOKEN }
        drain_timeout: 5m
        max_concurrent_runs: 16
        defaults:                       # any job policy key
          timeout: 1h
          on_interrupt: retry
          retry: { max_attempts: 3, backoff: 30s, window: 6h }
        alerts:
          - webhook: https://hooks.example.org/T000/B000
            format: slack               # slack | telegram | json (default)
          - command: ["/usr/local/bin/page-me"]
        jobs:
          evolution-implementation:
            schedule: "0 22 * * *"
            run: { command: ["./agents/evolve.sh", "--nightly"], cwd: ./work }
            timeout: 2h
            expect: { max_silence: 26h, empty_streak: 3 }
          evolution-integration:
            schedule: daily at 23:00
            after: [evolution-implementation]
            run: { http: { method: POST, url: "http://127.0.0.1:9000/integrate",
                           headers: { Authorization: "Bearer ${INTEGRATE_TOKEN}" } } }
          heartbeat:
            schedule: "0 * * * *"
            session: main               # runs of one session never overlap
            run: { command: ["./agents/heartbeat.sh"] }
            timeout: 10m
            on_interrupt: record
        """;

    [Fact]
    public void Load_IncidentKeys_ReadsAlertsWithHeadersAndChatAndTheStallSettings()
    {
        var config = TestConfig.Valid("""
            stall_after: 30s
            on_stall: exit
            alert_reminder: 0s
            alerts:
              - webhook: https://api.telegram.org/bot${TG_TOKEN}/sendMessage
                format: telegram
                chat_id: "-1001234"
              - webhook: https://hooks.example.org/vigil
                headers: { Authorization: "Bearer ${HOOK_TOKEN}" }
            """);

        Assert.Equal(TimeSpan.FromSeconds(30), config.StallAfter);
        Assert.Equal(StallAction.Exit, config.OnStall);
        Assert.Null(config.AlertReminder);
        var telegram = Assert.IsType<WebhookAlertSink>(config.Alerts[0]);
        Assert.Equal(AlertFormat.Telegram, telegram.Format);
        Assert.Equal("-1001234", telegram.ChatId);
        Assert.Equal("https://api.telegram.org/bot${TG_TOKEN}/sendMessage", telegram.Url);
        var json = Assert.IsType<WebhookAlertSink>(config.Alerts[1]);
        Assert.Equal("Bearer ${HOOK_TOKEN}", json.Headers["Authorization"]);
    }

    [Fact]
    public void Load_NoIncidentKeys_UsesTheDefaults()
    {
        var config = TestConfig.Valid("node: a\n");

        Assert.Equal(TimeSpan.FromMinutes(2), config.StallAfter);
        Assert.Equal(StallAction.Log, config.OnStall);
        Assert.Equal(TimeSpan.FromHours(6), config.AlertReminder);
    }

    [Fact]
    public void Parse_ProductExample_LoadsEverySection()
    {
        var config = TestConfig.Valid(ProductExample);

        Assert.Equal(Path.GetFullPath(TestConfig.File), config.ConfigPath);
        Assert.Equal(Path.GetFullPath("vigil-data"), config.DataDir);
        Assert.Equal(Path.Combine(Path.GetFullPath("vigil-data"), "vigil.db"), config.SqlitePath);
        Assert.Null(config.Storage);
        Assert.Equal("gw-1", config.Node);
        Assert.Equal("Europe/Berlin", config.TimeZone);
        Assert.Equal(new ServerConfig { Listen = "127.0.0.1:7878", TokenEnv = "VIGIL_TOKEN" }, config.Server);
        Assert.Equal(TimeSpan.FromMinutes(5), config.DrainTimeout);
        Assert.Equal(16, config.MaxConcurrentRuns);
        Assert.Collection(
            config.Alerts,
            a => Assert.Equal(new WebhookAlertSink { Url = "https://hooks.example.org/T000/B000", Format = AlertFormat.Slack }, a),
            a => Assert.Equal(["/usr/local/bin/page-me"], Assert.IsType<CommandAlertSink>(a).Argv));
        Assert.Equal(["evolution-implementation", "evolution-integration", "heartbeat"], config.Jobs.Select(j => j.Name));
        Assert.All(config.Jobs, j => Assert.Equal(JobSource.Config, j.Source));
        Assert.All(config.Jobs, j => Assert.Equal("Europe/Berlin", j.TimeZone));
    }

    [Fact]
    public void Parse_ProductExample_MergesBuiltInDefaultsAndJobKeys()
    {
        var jobs = TestConfig.Valid(ProductExample).Jobs.ToDictionary(j => j.Name);

        var nightly = jobs["evolution-implementation"];
        Assert.Equal("0 22 * * *", nightly.Schedule);
        var command = Assert.IsType<CommandAction>(nightly.Action);
        Assert.Equal(["./agents/evolve.sh", "--nightly"], command.Argv);
        Assert.Equal(Path.GetFullPath("work"), command.Cwd);
        Assert.False(command.Shell);
        Assert.Equal(TimeSpan.FromHours(2), nightly.Policies.Timeout);
        Assert.Equal(new ExpectPolicy { MaxSilence = TimeSpan.FromHours(26), EmptyStreak = 3 }, nightly.Policies.Expect);
        Assert.Equal(3, nightly.Policies.Retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(30), nightly.Policies.Retry.Backoff);
        Assert.Equal(TimeSpan.FromHours(6), nightly.Policies.Retry.Window);
        Assert.Equal([RunState.Interrupted], nightly.Policies.Retry.On);
        Assert.Equal(TimeSpan.FromSeconds(10), nightly.Policies.KillGrace);

        var integration = jobs["evolution-integration"];
        Assert.Equal("daily at 23:00", integration.Schedule);
        Assert.Equal(["evolution-implementation"], integration.Policies.After);
        var http = Assert.IsType<HttpAction>(integration.Action);
        Assert.Equal("POST", http.Method);
        Assert.Equal("http://127.0.0.1:9000/integrate", http.Url);
        Assert.Equal("Bearer ${INTEGRATE_TOKEN}", http.Headers["Authorization"]);
        Assert.Equal(TimeSpan.FromHours(1), integration.Policies.Timeout);

        var heartbeat = jobs["heartbeat"];
        Assert.Equal("main", heartbeat.Policies.Session);
        Assert.Equal(TimeSpan.FromMinutes(10), heartbeat.Policies.Timeout);
        Assert.Equal(InterruptPolicy.Record, heartbeat.Policies.OnInterrupt);
        Assert.Equal(OverlapPolicy.Skip, heartbeat.Policies.Overlap);
        Assert.True(heartbeat.Enabled);
    }

    [Fact]
    public void Parse_MinimalConfig_TakesEveryDefault()
    {
        var config = TestConfig.Valid("""
            jobs:
              tick: { every: 30m, run: { command: ["true"] } }
            """);

        Assert.Equal("test-host", config.Node);
        Assert.Equal("Europe/Berlin", config.TimeZone);
        Assert.Equal(Path.GetFullPath("vigil-data"), config.DataDir);
        Assert.Null(config.Storage);
        Assert.Equal(VigilConfig.DefaultListen, config.Server.Listen);
        Assert.Equal("VIGIL_TOKEN", config.Server.TokenEnv);
        Assert.Equal(TimeSpan.FromMinutes(5), config.DrainTimeout);
        Assert.Equal(16, config.MaxConcurrentRuns);
        Assert.Equal(JobPolicies.Default, config.Defaults);
        Assert.Empty(config.Alerts);

        var tick = Assert.Single(config.Jobs);
        Assert.Equal("every 30m", tick.Schedule);
        Assert.Equal("Europe/Berlin", tick.TimeZone);
        Assert.Null(tick.Anchor);
        Assert.Equal(JobPolicies.Default, tick.Policies);
        Assert.Equal(Path.GetFullPath("."), Assert.IsType<CommandAction>(tick.Action).Cwd);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing but a comment\n")]
    [InlineData("---\n")]
    [InlineData("jobs:\n")]
    [InlineData("jobs: {}\n")]
    public void Parse_EmptyConfig_IsValidWithNoJobs(string yaml)
    {
        Assert.Empty(TestConfig.Valid(yaml).Jobs);
    }

    [Fact]
    public void Parse_Defaults_MergeKeyByKeyUnderJobs()
    {
        var config = TestConfig.Valid("""
            defaults:
              timeout: 20m
              idle_timeout: 5m
              retry: { max_attempts: 5, on: [interrupted, failed] }
              expect: { max_silence: 2h }
              overlap: queue
              alert_after_failures: 2
            jobs:
              a:
                every: 1h
                run: { command: ["true"] }
                retry: { backoff: 1m }
                expect: { empty_streak: 4 }
                idle_timeout: null
              b:
                every: 1h
                run: { command: ["true"] }
                overlap: allow
                retry: { on: [timed_out] }
            """);

        Assert.Equal(TimeSpan.FromMinutes(20), config.Defaults.Timeout);
        Assert.Equal(5, config.Defaults.Retry.MaxAttempts);

        var a = config.Jobs[0].Policies;
        Assert.Equal(TimeSpan.FromMinutes(20), a.Timeout);
        Assert.Null(a.IdleTimeout);
        Assert.Equal(new RetryPolicy { MaxAttempts = 5, Backoff = TimeSpan.FromMinutes(1), Window = TimeSpan.FromHours(6), On = a.Retry.On }, a.Retry);
        Assert.Equal([RunState.Interrupted, RunState.Failed], a.Retry.On);
        Assert.Equal(new ExpectPolicy { MaxSilence = TimeSpan.FromHours(2), EmptyStreak = 4 }, a.Expect);
        Assert.Equal(OverlapPolicy.Queue, a.Overlap);
        Assert.Equal(2, a.AlertAfterFailures);

        var b = config.Jobs[1].Policies;
        Assert.Equal(TimeSpan.FromMinutes(5), b.IdleTimeout);
        Assert.Equal(OverlapPolicy.Allow, b.Overlap);
        Assert.Equal([RunState.TimedOut], b.Retry.On);
        Assert.Equal(5, b.Retry.MaxAttempts);
    }

    [Fact]
    public void Parse_EveryPolicyKey_IsRead()
    {
        var p = TestConfig.Valid("""
            jobs:
              up: { every: 1h, run: { handler: noop } }
              all:
                schedule: "@daily"
                run: { handler: noop }
                timeout: 90s
                idle_timeout: 2m
                kill_grace: 0s
                on_interrupt: record
                retry: { max_attempts: 1, backoff: 0s, window: 1d, on: [] }
                overlap: replace
                catch_up: all
                max_catch_up: 4
                grace: 15m
                after: [up]
                session: s1
                expect: { max_silence: 1d, empty_streak: 2 }
                alert_after_failures: 1
                pause_after_failures: 6
            """).Jobs[1].Policies;

        Assert.Equal(TimeSpan.FromSeconds(90), p.Timeout);
        Assert.Equal(TimeSpan.FromMinutes(2), p.IdleTimeout);
        Assert.Equal(TimeSpan.Zero, p.KillGrace);
        Assert.Equal(InterruptPolicy.Record, p.OnInterrupt);
        Assert.Equal(1, p.Retry.MaxAttempts);
        Assert.Equal(TimeSpan.Zero, p.Retry.Backoff);
        Assert.Equal(TimeSpan.FromDays(1), p.Retry.Window);
        Assert.Empty(p.Retry.On);
        Assert.Equal(OverlapPolicy.Replace, p.Overlap);
        Assert.Equal(CatchUpPolicy.All, p.CatchUp);
        Assert.Equal(4, p.MaxCatchUp);
        Assert.Equal(TimeSpan.FromMinutes(15), p.Grace);
        Assert.Equal(["up"], p.After);
        Assert.Equal("s1", p.Session);
        Assert.Equal(new ExpectPolicy { MaxSilence = TimeSpan.FromDays(1), EmptyStreak = 2 }, p.Expect);
        Assert.Equal(1, p.AlertAfterFailures);
        Assert.Equal(6, p.PauseAfterFailures);
    }

    [Fact]
    public void Parse_ScheduleForms_BecomeScheduleText()
    {
        var jobs = TestConfig.Valid("""
            timezone: America/New_York
            jobs:
              grid: { every: 90m, anchor: "2026-01-01T00:15:00", run: { handler: h } }
              once: { at: "2026-12-01T09:00:00+01:00", timezone: UTC, run: { handler: h } }
              phrase: { schedule: weekdays at 9am, run: { handler: h }, enabled: false }
            """).Jobs;

        Assert.Equal("every 90m", jobs[0].Schedule);
        Assert.Equal("America/New_York", jobs[0].TimeZone);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 5, 15, 0, TimeSpan.Zero), jobs[0].Anchor);
        Assert.Equal("at 2026-12-01T09:00:00+01:00", jobs[1].Schedule);
        Assert.Equal("UTC", jobs[1].TimeZone);
        Assert.Equal("weekdays at 9am", jobs[2].Schedule);
        Assert.False(jobs[2].Enabled);
        Assert.All(jobs, j => Assert.NotNull(Schedule.Parse(j.Schedule, TimeZones.Find(j.TimeZone), j.Anchor)));
    }

    [Fact]
    public void Parse_CommandForms_AreReadAsArgv()
    {
        var jobs = TestConfig.Valid("""
            jobs:
              list: { every: 1h, run: { command: ["sleep", 5], env: { A: "1", TOKEN: "${SECRET}" } } }
              word: { every: 1h, run: { command: ./backup.sh, cwd: /srv/backup } }
              shell: { every: 1h, run: { command: "make && ./deploy.sh", shell: true } }
              one: { every: 1h, run: { command: ["echo hi | wc -c"], shell: true } }
            """).Jobs.Select(j => Assert.IsType<CommandAction>(j.Action)).ToList();

        Assert.Equal(["sleep", "5"], jobs[0].Argv);
        Assert.Equal("${SECRET}", jobs[0].Env["TOKEN"]);
        Assert.Equal(["./backup.sh"], jobs[1].Argv);
        Assert.Equal(Path.GetFullPath("/srv/backup"), jobs[1].Cwd);
        Assert.Equal(["make && ./deploy.sh"], jobs[2].Argv);
        Assert.True(jobs[2].Shell);
        Assert.Equal(["echo hi | wc -c"], jobs[3].Argv);
    }

    [Fact]
    public void Parse_HttpAction_KeepsPlaceholdersUnexpanded()
    {
        var http = Assert.IsType<HttpAction>(TestConfig.Valid("""
            jobs:
              call:
                every: 1h
                run:
                  http:
                    method: put
                    url: "${BASE_URL}/items/${ITEM}"
                    headers: { X-Token: "${TOKEN}", Accept: application/json }
                    body: '{"user":"${USER_ID}","price":"$$5"}'
                    expect_status: [200, 204]
            """).Jobs[0].Action);

        Assert.Equal("PUT", http.Method);
        Assert.Equal("${BASE_URL}/items/${ITEM}", http.Url);
        Assert.Equal("${TOKEN}", http.Headers["X-Token"]);
        Assert.Equal("""{"user":"${USER_ID}","price":"$$5"}""", http.Body);
        Assert.Equal([200, 204], http.ExpectStatus);
    }

    [Fact]
    public void Parse_StorageAndAliases_AreRead()
    {
        var config = TestConfig.Valid("""
            storage: postgres://vigil@db.internal:5432/vigil
            data_dir: /var/lib/vigil
            jobs:
              a: { every: 1h, run: &run { command: ["true"] } }
              b: { every: 2h, run: *run }
            """);

        Assert.Equal("postgres://vigil@db.internal:5432/vigil", config.Storage);
        Assert.Equal(Path.GetFullPath("/var/lib/vigil"), config.DataDir);
        Assert.Equal(["true"], Assert.IsType<CommandAction>(config.Jobs[1].Action).Argv);
    }

    [Fact]
    public void Load_RelativePaths_ResolveAgainstTheConfigFilesDirectory()
    {
        var root = Directory.CreateTempSubdirectory("vigil-config-");
        try
        {
            var dir = Directory.CreateDirectory(Path.Combine(root.FullName, "etc", "vigil"));
            var file = Path.Combine(dir.FullName, "vigil.yaml");
            System.IO.File.WriteAllText(file, """
                data_dir: ../data
                jobs:
                  a: { every: 1h, run: { command: ["./a.sh"], cwd: agents } }
                  b: { every: 1h, run: { command: ["./b.sh"] } }
                """);

            var result = ConfigLoader.Load(file, TestConfig.Host);

            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
            Assert.Equal(file, result.Config.ConfigPath);
            Assert.Equal(Path.Combine(root.FullName, "etc", "data"), result.Config.DataDir);
            Assert.Equal(Path.Combine(dir.FullName, "agents"), Assert.IsType<CommandAction>(result.Config.Jobs[0].Action).Cwd);
            Assert.Equal(dir.FullName, Assert.IsType<CommandAction>(result.Config.Jobs[1].Action).Cwd);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void Load_MissingFile_IsOneLineNamingTheFileAsGiven()
    {
        var result = ConfigLoader.Load(Path.Combine("no-such-dir", "vigil.yaml"));

        var error = Assert.Single(result.Errors);
        Assert.Equal($"{Path.Combine("no-such-dir", "vigil.yaml")}: no such file", error.ToString());
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Load_ShippedExample_LoadsWithoutErrors()
    {
        var result = ConfigLoader.Load(Path.Combine(TestConfig.RepositoryRoot(), "examples", "vigil.yaml"));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(["hello", "report", "publish"], result.Config.Jobs.Select(j => j.Name));
        Assert.Equal("UTC", result.Config.TimeZone);
        Assert.Equal(["report"], result.Config.Jobs[2].Policies.After);
    }

    [Fact]
    public void HostDefaults_Current_IsTheMachineNameAndAKnownZone()
    {
        var host = HostDefaults.Current();

        Assert.Equal(Environment.MachineName, host.MachineName);
        Assert.True(TimeZones.TryFind(host.TimeZoneId, out _, out _));
    }

    [Fact]
    public void Load_ServerPortZeroAndMetrics_AreRead()
    {
        var result = TestConfig.Parse("server: { listen: \"127.0.0.1:0\" }\nmetrics: { otlp_endpoint: \"http://127.0.0.1:4318\", otlp_interval: 30s }\n");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal("127.0.0.1:0", result.Config!.Server.Listen);
        Assert.Equal(new Uri("http://127.0.0.1:4318"), result.Config.Metrics.OtlpEndpoint);
        Assert.Equal(TimeSpan.FromSeconds(30), result.Config.Metrics.OtlpInterval);
        Assert.Null(TestConfig.Parse("data_dir: ./d\n").Config!.Metrics.OtlpEndpoint);
    }
}
