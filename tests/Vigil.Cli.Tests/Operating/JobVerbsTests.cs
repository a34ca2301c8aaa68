using System.Text.Json;

namespace Vigil.Cli.Tests.Operating;

/// <summary>The job verbs with no daemon at all: adding, changing and removing API jobs, and the refusals.</summary>
public sealed class JobVerbsTests : IDisposable
{
    private const string Config = """
        data_dir: ./data
        timezone: UTC
        defaults:
          timeout: 20m
        jobs:
          declared:
            schedule: "@hourly"
            run: { command: ["true"] }
        """;

    private readonly VigilHome _home = new(Config);

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task AddEditRemove_ApiJob_RoundTripsAndKeepsTheConfigDefaults()
    {
        var add = await _home.RunAsync("jobs", "add", "adhoc", "--schedule", "every 30m", "--tz", "Europe/Berlin", "--command", "sh", "-c", "echo hi");
        var added = await _home.JsonAsync("jobs", "show", "adhoc");
        var edit = await _home.RunAsync("jobs", "edit", "adhoc", "--timeout", "5m", "--session", "main", "--overlap", "queue", "--on-stop", "drain");
        var edited = (await _home.JsonAsync("jobs", "show", "adhoc")).GetProperty("definition");
        var remove = await _home.RunAsync("jobs", "remove", "adhoc");
        var removed = Contract.Job(await _home.JsonAsync("jobs", "list"), "adhoc");

        Assert.Equal(0, add.ExitCode);
        Assert.StartsWith("added job \"adhoc\"", add.Stdout, StringComparison.Ordinal);
        Assert.Equal("api", added.GetProperty("source").GetString());
        Assert.Equal("every 30m", added.GetProperty("schedule").GetString());
        Assert.Equal("Europe/Berlin", added.GetProperty("timezone").GetString());
        Assert.True(added.GetProperty("applied").GetBoolean());
        Assert.Equal(5, added.GetProperty("next_slots").GetArrayLength());
        var definition = added.GetProperty("definition");
        Assert.Equal(["sh", "-c", "echo hi"], definition.GetProperty("run").GetProperty("command").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("20m", definition.GetProperty("timeout").GetString());

        Assert.Equal(0, edit.ExitCode);
        Assert.Equal("5m", edited.GetProperty("timeout").GetString());
        Assert.Equal("main", edited.GetProperty("session").GetString());
        Assert.Equal("queue", edited.GetProperty("overlap").GetString());
        Assert.Equal("drain", edited.GetProperty("on_stop").GetString());
        Assert.Equal("every 30m", edited.GetProperty("schedule").GetString());

        Assert.Equal(0, remove.ExitCode);
        Assert.True(removed.GetProperty("removed").GetBoolean());
        Assert.False(removed.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, removed.GetProperty("next_slot").ValueKind);
    }

    [Fact]
    public async Task Add_ExistingNameOrConfigName_IsRefused_ButARemovedNameMayBeReused()
    {
        await _home.RunAsync("jobs", "add", "hook", "--schedule", "@daily", "--http-url", "http://127.0.0.1:9/hook", "--http-method", "post");
        var duplicate = await _home.RunAsync("jobs", "add", "hook", "--schedule", "@daily", "--shell", "true");
        var declared = await _home.RunAsync("jobs", "add", "declared", "--schedule", "@daily", "--shell", "true");
        await _home.RunAsync("jobs", "remove", "hook");
        var again = await _home.RunAsync("jobs", "add", "hook", "--schedule", "@weekly", "--shell", "echo back");

        Assert.Equal(2, duplicate.ExitCode);
        Assert.Equal("vigil: job \"hook\" already exists (change it with 'vigil jobs edit hook')", Assert.Single(duplicate.StderrLines));
        Assert.Equal(2, declared.ExitCode);
        Assert.Equal($"vigil: job \"declared\" is declared in {_home.ConfigPath}; edit the file instead", Assert.Single(declared.StderrLines));
        Assert.Equal(0, again.ExitCode);
        var hook = Contract.Job(await _home.JsonAsync("jobs", "list"), "hook");
        Assert.Equal("@weekly", hook.GetProperty("schedule").GetString());
        Assert.False(hook.GetProperty("removed").GetBoolean());
    }

    [Fact]
    public async Task PauseResumeTrigger_ApiJob_WorkWithoutADaemon()
    {
        await _home.RunAsync("jobs", "add", "adhoc", "--schedule", "@daily", "--shell", "true");

        var pause = await _home.RunAsync("jobs", "pause", "adhoc");
        var paused = Contract.Job(await _home.JsonAsync("jobs", "list"), "adhoc");
        var id = await _home.RunIdAsync("jobs", "trigger", "adhoc");
        var resume = await _home.RunAsync("jobs", "resume", "adhoc");
        var runs = await _home.JsonAsync("runs", "list", "--job", "adhoc");

        Assert.Equal("paused job \"adhoc\"\n", pause.Stdout);
        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal("resumed job \"adhoc\"\n", resume.Stdout);
        var run = Assert.Single(runs.EnumerateArray());
        Assert.Equal(id, run.GetProperty("id").GetInt64());
        Assert.Equal(("pending", "manual"), (run.GetProperty("state").GetString(), run.GetProperty("trigger").GetString()));
    }

    [Fact]
    public async Task JobsList_ConfigJobNotApplied_IsMarkedAndExplained()
    {
        var result = await _home.RunAsync("jobs", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.StdoutLines, l => l.StartsWith("declared *", StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l.StartsWith("* ", StringComparison.Ordinal) && l.Contains("the daemon applies it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Drain_WithoutADaemon_ExitsOneWithOneLine()
    {
        var result = await _home.RunAsync("drain");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"vigil: no daemon is running for {_home.ConfigPath} (no live incarnation of node \"{Environment.MachineName}\" in the ledger)", Assert.Single(result.StderrLines));
        Assert.Empty(result.Stdout);
    }
}
