namespace Vigil.Configuration.Tests;

/// <summary>
/// Each bad input gives exactly one line <c>vigil.yaml:LINE:COL: reason</c>, pointing at the key or
/// value at fault (columns count from 1, as editors show them).
/// </summary>
public class ConfigErrorTests
{
    private const string Job = """
        jobs:
          a:
            every: 5m
            run: { command: ["true"] }

        """;

    public static TheoryData<string, string, string> SingleErrors => new()
    {
        // Unknown keys, at every level, with a "did you mean" when a known key is close.
        { "unknown top-level key", "jobz: {}\n", """1:1: unknown key "jobz" (did you mean "jobs"?)""" },
        { "unknown job key", Job + "    timout: 5m\n", """5:5: unknown key "timout" in job "a" (did you mean "timeout"?)""" },
        { "run key on the job", Job + "    cwd: /tmp\n", """5:5: unknown key "cwd" in job "a" (it belongs under run:)""" },
        { "unknown retry key", Job + "    retry: { max_atempts: 2 }\n", """5:14: unknown key "max_atempts" in retry (did you mean "max_attempts"?)""" },
        { "unknown key, nothing close", Job + "    colour: red\n", """5:5: unknown key "colour" in job "a" """.TrimEnd() },
        { "schedule in defaults", "defaults:\n  schedule: \"@daily\"\n", """2:3: unknown key "schedule" in defaults (defaults take policy keys only; set it on each job)""" },

        // Durations.
        { "unknown unit", Job + "    timeout: 5x\n", """5:14: timeout: "5x" has an unknown unit "x" (use ms, s, m, h or d)""" },
        { "no unit", Job + "    kill_grace: 10\n", """5:17: kill_grace: "10" has no unit (use ms, s, m, h or d, e.g. 10s)""" },
        { "negative duration", "defaults:\n  kill_grace: -1s\n", """2:15: kill_grace: "-1s" is not a duration (expected a number followed by ms, s, m, h or d, e.g. 30s)""" },
        { "zero timeout", "defaults:\n  timeout: 0s\n", "2:12: timeout: must be greater than 0" },
        { "zero every", "jobs:\n  a:\n    every: 0s\n    run: { handler: h }\n", "3:12: every: must be greater than 0" },
        { "bad every", "jobs:\n  a:\n    every: 30x\n    run: { handler: h }\n", """3:12: every: "30x" has an unknown unit "x" (use ms, s, m, h or d)""" },

        // Schedules and zones.
        { "bad cron", "jobs:\n  a:\n    schedule: \"0 25 * * *\"\n    run: { handler: h }\n", """3:15: schedule: invalid schedule "0 25 * * *": hour 25 is outside 0-23 (field 2)""" },
        { "bad at", "jobs:\n  a:\n    at: tomorrow\n    run: { handler: h }\n", """3:9: at: "tomorrow" is not an ISO-8601 date-time (e.g. 2026-12-01T09:00:00+01:00)""" },
        { "anchor on cron", "jobs:\n  a:\n    schedule: \"0 * * * *\"\n    anchor: 2026-01-01T00:00:00Z\n    run: { handler: h }\n", "4:13: anchor: only applies to an every: schedule" },
        { "bad anchor", "jobs:\n  a:\n    every: 1h\n    anchor: soon\n    run: { handler: h }\n", """4:13: anchor: "soon" is not an ISO-8601 date-time (e.g. 2026-01-01T00:00:00Z)""" },
        { "no schedule", "jobs:\n  a:\n    run: { handler: h }\n", """2:3: job "a" needs one of schedule:, every: or at:""" },
        { "two schedules", "jobs:\n  a:\n    schedule: \"@hourly\"\n    every: 1h\n    run: { handler: h }\n", """4:5: job "a" has both schedule: and every: (use one)""" },
        { "unknown job zone", Job + "    timezone: Mars/Base\n", """5:15: timezone: unknown time zone "Mars/Base" (use an IANA name such as Europe/Berlin or America/New_York)""" },
        { "unknown config zone", "timezone: Europe/Berln\n", """1:11: timezone: unknown time zone "Europe/Berln" (use an IANA name such as Europe/Berlin or America/New_York)""" },

        // Duplicates.
        { "duplicate job", "jobs:\n  a: { every: 5m, run: { handler: h } }\n  a: { every: 6m, run: { handler: h } }\n", """3:3: duplicate job "a" (first at line 2)""" },
        { "duplicate job key", Job + "    timeout: 1m\n    timeout: 2m\n", """6:5: duplicate key "timeout" (first at line 5)""" },
        { "duplicate top-level key", "node: a\nnode: b\n", """2:1: duplicate key "node" (first at line 1)""" },
        { "duplicate flow key", "server: { listen: 127.0.0.1:1, listen: 127.0.0.1:2 }\n", """1:32: duplicate key "listen" (first at line 1)""" },

        // Types and ranges.
        { "list for a mapping", Job + "    retry: [3]\n", "5:12: retry: expected a mapping, got a list" },
        { "word for a number", Job + "    retry: { max_attempts: three }\n", """5:28: retry.max_attempts: expected a whole number, got "three" """.TrimEnd() },
        { "fraction for a number", Job + "    retry: { max_attempts: 2.5 }\n", """5:28: retry.max_attempts: expected a whole number, got "2.5" """.TrimEnd() },
        { "quoted number", Job + "    max_catch_up: \"4\"\n", """5:19: max_catch_up: expected a whole number, got "4" """.TrimEnd() },
        { "zero attempts", Job + "    retry: { max_attempts: 0 }\n", "5:28: retry.max_attempts: must be at least 1, got 0" },
        { "mapping for a string", Job + "    session: { a: 1 }\n", "5:14: session: expected a string, got a mapping" },
        { "not a boolean", Job + "    enabled: yes\n", """5:14: enabled: expected true or false, got "yes" """.TrimEnd() },
        { "zero concurrent runs", "max_concurrent_runs: 0\n", "1:22: max_concurrent_runs: must be at least 1, got 0" },
        { "zero alert threshold", "defaults:\n  alert_after_failures: 0\n", "2:25: alert_after_failures: must be at least 1, got 0" },
        { "null timeout", Job + "    timeout:\n", "5:13: timeout: expected a string, got null" },
        { "jobs as a list", "jobs:\n  - name: a\n", "2:3: jobs: expected a mapping of job name to job (name: { schedule: ..., run: ... }), got a list" },
        { "job as a string", "jobs:\n  a: hourly\n", """2:6: job "a": expected a mapping, got "hourly" """.TrimEnd() },
        { "empty job", "jobs:\n  a:\n", """2:3: job "a" is empty (give it a schedule: and a run:)""" },
        { "file is a list", "- a\n", "1:1: the file must be a mapping of settings (data_dir:, jobs:, ...), not a list" },

        // Enums.
        { "on_interrupt", "defaults:\n  on_interrupt: again\n", """2:17: on_interrupt: "again" is not one of retry, record""" },
        { "overlap", "defaults:\n  overlap: merge\n", """2:12: overlap: "merge" is not one of skip, queue, allow, replace""" },
        { "catch_up", "defaults:\n  catch_up: some\n", """2:13: catch_up: "some" is not one of latest, all, none""" },
        { "retry.on", "defaults:\n  retry: { on: [interrupted, succeeded] }\n", """2:30: retry.on: "succeeded" is not one of interrupted, failed, timed_out""" },

        // Actions.
        { "run without an action", "jobs:\n  a:\n    every: 5m\n    run: { cwd: /tmp }\n", "4:10: run: needs one of command:, http: or handler:" },
        { "run with two actions", "jobs:\n  a:\n    every: 5m\n    run: { command: [\"true\"], handler: x }\n", "4:31: run: has both command: and handler: (use one)" },
        { "no run", "jobs:\n  a: { every: 5m }\n", """2:3: job "a" has no run: (e.g. run: { command: ["./task.sh"] })""" },
        { "empty argv", "jobs:\n  a:\n    every: 5m\n    run: { command: [] }\n", "4:21: run.command: the command is empty" },
        { "shell with a list", "jobs:\n  a:\n    every: 5m\n    run: { command: [\"echo\", \"hi\"], shell: true }\n", """4:21: run.command: shell: true needs the command as one string (e.g. command: "make && ./deploy.sh")""" },
        { "spaces without shell", "jobs:\n  a:\n    every: 5m\n    run: { command: \"echo hi\" }\n", """4:21: run.command: a command with spaces needs shell: true, or write it as a list (e.g. ["echo", "hello"])""" },
        { "reserved env name", "jobs:\n  a:\n    every: 5m\n    run: { command: [\"true\"], env: { VIGIL_JOB: x } }\n", "4:38: run.env: VIGIL_JOB is set by Vigil for every run (VIGIL_ names are reserved)" },
        { "cwd for http", "jobs:\n  a:\n    every: 5m\n    run: { http: { url: \"http://h/\" }, cwd: /tmp }\n", "4:40: run.cwd: only applies to command:, not http:" },
        { "relative url", "jobs:\n  a:\n    every: 5m\n    run: { http: { url: /integrate } }\n", """4:25: run.http.url: "/integrate" is not an absolute http:// or https:// URL""" },
        { "ftp url", "jobs:\n  a:\n    every: 5m\n    run: { http: { url: ftp://h/x } }\n", """4:25: run.http.url: "ftp://h/x" is not an absolute http:// or https:// URL""" },
        { "unclosed placeholder", "jobs:\n  a:\n    every: 5m\n    run: { http: { url: \"http://h/${TOKEN\" } }\n", """4:25: run.http.url: unclosed "${" (write $${ for a literal "${")""" },
        { "bad method", "jobs:\n  a:\n    every: 5m\n    run: { http: { url: \"http://h/\", method: FETCH } }\n", """4:46: run.http.method: "FETCH" is not one of GET, POST, PUT, PATCH, DELETE, HEAD""" },
        { "http without url", "jobs:\n  a:\n    every: 5m\n    run: { http: { method: GET } }\n", "4:18: run.http: needs url:" },

        // Names and dependencies.
        { "invalid job name", "jobs:\n  \"my job\": { every: 5m, run: { handler: h } }\n", """2:3: job name "my job" is not valid (letters, digits, -, _ and ., starting with a letter or digit, at most 128 characters)""" },
        { "after an unknown job", Job + "    after: [b]\n", """5:13: after: no job named "b" in this file""" },
        { "after a misspelt job", Job + "    after: [nightly-reprot]\n  nightly-report: { every: 5m, run: { handler: h } }\n", """5:13: after: no job named "nightly-reprot" in this file (did you mean "nightly-report"?)""" },
        { "after itself", Job + "    after: [a]\n", """5:13: after: job "a" cannot run after itself""" },
        { "after cycle", Job + "    after: [b]\n  b:\n    every: 5m\n    run: { handler: h }\n    after: [a]\n", "5:13: after: jobs form a cycle: a -> b -> a" },

        // Alerts, server, storage.
        { "alert format", "alerts:\n  - webhook: https://hooks.example.org/x\n    format: xml\n", """3:13: alerts.format: "xml" is not one of json, slack, telegram""" },
        { "alert without a sink", "alerts:\n  - format: slack\n", "2:5: alert needs webhook: or command:" },
        { "telegram without chat", "alerts:\n  - webhook: https://api.telegram.org/bot1:x/sendMessage\n    format: telegram\n", "2:5: alerts: format: telegram needs chat_id: (the chat the bot sends to)" },
        { "chat_id on slack", "alerts:\n  - webhook: https://hooks.example.org/x\n    chat_id: 42\n", "3:5: alerts.chat_id: only applies to format: telegram" },
        { "headers on a command", "alerts:\n  - command: [page-me]\n    headers: { X-Key: k }\n", "3:5: alerts.headers: only applies to webhook:" },
        { "bad alert header", "alerts:\n  - webhook: https://hooks.example.org/x\n    headers: { \"X Key\": k }\n", """3:16: alerts.headers: "X Key" is not a valid header name""" },
        { "on_stall", "on_stall: restart\n", """1:11: on_stall: "restart" is not one of log, exit""" },
        { "stall_after", "stall_after: soon\n", """1:14: stall_after: "soon" is not a duration (expected a number followed by ms, s, m, h or d, e.g. 30s)""" },
        { "alert webhook not http", "alerts:\n  - webhook: mailto:ops@example.org\n", """2:14: alerts.webhook: "mailto:ops@example.org" is not an absolute http:// or https:// URL""" },
        { "listen without a port", "server: { listen: localhost }\n", """1:19: server.listen: "localhost" is not host:port (e.g. 127.0.0.1:7878)""" },
        { "listen port out of range", "server: { listen: \"0.0.0.0:70000\" }\n", """1:19: server.listen: "0.0.0.0:70000" is not host:port (e.g. 127.0.0.1:7878)""" },
        { "token_env", "server: { token_env: \"MY TOKEN\" }\n", """1:22: server.token_env: "MY TOKEN" is not a valid environment variable name""" },
        { "otlp endpoint not a URL", "metrics: { otlp_endpoint: \"collector:4318\" }\n", """1:27: metrics.otlp_endpoint: "collector:4318" is not an absolute http:// or https:// URL (e.g. http://127.0.0.1:4318)""" },
        { "otlp interval zero", "metrics: { otlp_interval: 0s }\n", """1:27: metrics.otlp_interval: must be greater than 0""" },
        { "unknown metrics key", "metrics: { prometheus: true }\n", """1:12: unknown key "prometheus" in metrics""" },
        { "storage not postgres", "storage: mysql://db/vigil\n", "1:10: storage: expected a postgres:// URL (leave storage out for the embedded SQLite ledger)" },

        // YAML itself.
        { "broken flow mapping", "jobs: {a: 1\n", "2:1: invalid YAML: while parsing a flow mapping, did not find expected ',' or '}'" },
        { "unquoted cron", "jobs:\n  a:\n    schedule: * * * * *\n", """3:15: invalid YAML: while scanning an anchor or alias, found value containing disallowed: []{}, (quote a value that starts with * or &, e.g. schedule: "* * * * *")""" },
        { "unknown alias", "jobs: *missing\n", "1:7: unknown alias *missing (define &missing before using it)" },
        { "two documents", "node: a\n---\nnode: b\n", "2:1: the file holds more than one YAML document (remove the second ---)" },
        { "merge key", "<<: {}\n", """1:1: unknown key "<<" (merge keys are not supported; use defaults:)""" },
    };

    [Theory]
    [MemberData(nameof(SingleErrors))]
    public void Parse_BadInput_ReportsOneLineAtTheFault(string label, string yaml, string expected)
    {
        var errors = TestConfig.Errors(yaml);

        Assert.True(errors.Length == 1, $"{label}: expected one error, got:\n{string.Join("\n", errors)}");
        Assert.Equal($"vigil.yaml:{expected}", errors[0]);
    }

    [Fact]
    public void Parse_ManyErrors_ReportsAllSortedByLine()
    {
        // Found in reading order (defaults, then jobs, then the after: graph), reported in file order.
        var errors = TestConfig.Errors("""
            jobs:
              a:
                every: 5m
                run: { command: [] }
                after: [b]
                timeout: 5x
              b:
                every: 5m
                run: { command: ["true"] }
                after: [a]
            defaults:
              overlap: merge
            nodee: x
            """);

        Assert.Equal(
            [
                "vigil.yaml:4:21: run.command: the command is empty",
                "vigil.yaml:5:13: after: jobs form a cycle: a -> b -> a",
                """vigil.yaml:6:14: timeout: "5x" has an unknown unit "x" (use ms, s, m, h or d)""",
                """vigil.yaml:12:12: overlap: "merge" is not one of skip, queue, allow, replace""",
                """vigil.yaml:13:1: unknown key "nodee" (did you mean "node"?)""",
            ],
            errors);
    }

    [Fact]
    public void Parse_JobKeyOutsideRun_ReportsTheKeyAndTheMissingRun()
    {
        var errors = TestConfig.Errors("jobs:\n  a:\n    every: 5m\n    command: [\"true\"]\n");

        Assert.Equal(
            [
                """vigil.yaml:2:3: job "a" has no run: (e.g. run: { command: ["./task.sh"] })""",
                """vigil.yaml:4:5: unknown key "command" in job "a" (it belongs under run:)""",
            ],
            errors);
    }

    [Fact]
    public void Parse_DefaultsAfterUnknownJob_IsReportedOnceAtDefaults()
    {
        var errors = TestConfig.Errors("""
            defaults:
              after: [nightly]
            jobs:
              a: { every: 5m, run: { handler: h } }
              b: { every: 5m, run: { handler: h } }
            """);

        Assert.Equal(["""vigil.yaml:2:11: after: no job named "nightly" in this file"""], errors);
    }

    [Fact]
    public void Parse_ErrorInsideOneJob_StillChecksTheOthers()
    {
        var errors = TestConfig.Errors("""
            jobs:
              a: { every: 5x, run: { handler: h } }
              b: { every: 5m, run: { handler: h }, after: [a], overlap: nope }
            """);

        Assert.Equal(
            [
                """vigil.yaml:2:15: every: "5x" has an unknown unit "x" (use ms, s, m, h or d)""",
                """vigil.yaml:3:61: overlap: "nope" is not one of skip, queue, allow, replace""",
            ],
            errors);
    }

    [Fact]
    public void Parse_MultiLineValueInAReason_StaysOnOneLine()
    {
        var errors = TestConfig.Errors("defaults:\n  overlap: |\n    skip\n    queue\n");

        Assert.Equal(["""vigil.yaml:2:12: overlap: "skip\nqueue\n" is not one of skip, queue, allow, replace"""], errors);
    }

    [Fact]
    public void Load_Directory_IsOneLine()
    {
        var dir = Directory.CreateTempSubdirectory("vigil-config-");
        try
        {
            var error = Assert.Single(ConfigLoader.Load(dir.FullName).Errors);

            Assert.Equal($"{dir.FullName}: is a directory, not a config file", error.ToString());
        }
        finally
        {
            dir.Delete();
        }
    }

    [Fact]
    public void ConfigError_ToString_IsFileLineColumnReason()
    {
        Assert.Equal("etc/vigil.yaml:12:15: bad", new ConfigError { File = "etc/vigil.yaml", Line = 12, Column = 15, Reason = "bad" }.ToString());
        Assert.Equal("etc/vigil.yaml: no such file", new ConfigError { File = "etc/vigil.yaml", Reason = "no such file" }.ToString());
    }
}
