using System.Globalization;
using Vigil.Jobs;
using Vigil.Supervision;

namespace Vigil.Core.Tests.Supervision;

public sealed class CommandRunnerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<ActionResult> Run(CommandAction command, CommandRunner? runner = null, RunContext? context = null)
    {
        runner ??= new CommandRunner(TimeProvider.System, TestRuns.Environment());
        using var action = runner.Start(command, context ?? TestRuns.Context(_temp.Path));
        return await action.Finish();
    }

    private static CommandAction Command(params string[] argv) => new() { Argv = argv };

    [Fact]
    public async Task Start_Argv_RunsWithoutShellAndKeepsArgumentsLiteral()
    {
        var result = await Run(Command("printf", "[%s]", "a b", "$HOME", "*", "a;b"));

        Assert.True(result.Success, result.Reason);
        Assert.Equal("[a b][$HOME][*][a;b]", result.Output);
    }

    [Fact]
    public async Task Start_Shell_RunsTheStringThroughBinSh()
    {
        var result = await Run(new CommandAction { Argv = ["echo $((1 + 2)) | tr 3 x"], Shell = true });

        Assert.True(result.Success, result.Reason);
        Assert.Equal("x\n", result.Output);
    }

    [Fact]
    public async Task Start_Cwd_IsTheChildsWorkingDirectory()
    {
        var result = await Run(new CommandAction { Argv = ["pwd"], Cwd = _temp.Path });

        Assert.Equal(_temp.Path + "\n", result.Output);
    }

    [Fact]
    public async Task Start_Environment_IsDaemonEnvThenActionEnvThenVigilVariables()
    {
        var runner = new CommandRunner(TimeProvider.System, TestRuns.Environment(("HOME", "/home/op"), ("TOKEN", "s3cret")));
        var command = new CommandAction
        {
            Argv = ["env"],
            Env = new Dictionary<string, string>
            {
                ["GREETING"] = "hello ${TOKEN}",
                ["LITERAL"] = "$HOME and $${TOKEN}",
                ["VIGIL_JOB"] = "spoofed",
            },
        };
        var context = TestRuns.Context(_temp.Path, session: "main");

        var result = await Run(command, runner, context);

        Assert.True(result.Success, result.Reason);
        var env = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        Assert.Equal("/home/op", env["HOME"]);
        Assert.Equal("hello s3cret", env["GREETING"]);
        Assert.Equal("$HOME and ${TOKEN}", env["LITERAL"]);
        Assert.Equal("nightly", env["VIGIL_JOB"]);
        Assert.Equal("2026-11-22T22:00:00Z", env["VIGIL_SLOT"]);
        Assert.Equal("2", env["VIGIL_ATTEMPT"]);
        Assert.Equal("42", env["VIGIL_RUN_ID"]);
        Assert.Equal("nightly@2026-11-22T22:00:00Z", env["VIGIL_IDEMPOTENCY_KEY"]);
        Assert.Equal("1", env["VIGIL_RESUMED"]);
        Assert.Equal("main", env["VIGIL_SESSION"]);
        Assert.Equal(context.ResultFile, env["VIGIL_RESULT_FILE"]);
        Assert.Equal(
            ["GREETING", "HOME", "LITERAL", "PATH", "TOKEN", "VIGIL_ATTEMPT", "VIGIL_IDEMPOTENCY_KEY", "VIGIL_JOB", "VIGIL_RESULT_FILE", "VIGIL_RESUMED", "VIGIL_RUN_ID", "VIGIL_SESSION", "VIGIL_SLOT"],
            env.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Start_EnvReferencesUnsetVariable_FailsWithoutStarting()
    {
        var runner = new CommandRunner(TimeProvider.System, TestRuns.Environment());
        var command = new CommandAction { Argv = ["true"], Env = new Dictionary<string, string> { ["KEY"] = "x${NOPE}" } };

        using var action = runner.Start(command, TestRuns.Context(_temp.Path));

        Assert.True(action.Completion.IsCompletedSuccessfully);
        var result = await action.Completion;
        Assert.False(result.Success);
        Assert.Equal("env KEY: environment variable NOPE is not set", result.Reason);
    }

    [Theory]
    [InlineData(0, true, null)]
    [InlineData(1, false, "exit code 1")]
    [InlineData(3, false, "exit code 3")]
    [InlineData(255, false, "exit code 255")]
    public async Task Completion_ExitCode_DecidesSuccess(int code, bool success, string? reason)
    {
        var result = await Run(Command("sh", "-c", $"exit {code}"));

        Assert.Equal(success, result.Success);
        Assert.Equal(code, result.ExitCode);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public async Task Completion_ChildKilledBySignal_ReportsTheSignal()
    {
        var result = await Run(Command("sh", "-c", "kill -TERM $$"));

        Assert.False(result.Success);
        Assert.Null(result.ExitCode);
        Assert.Equal("killed by signal 15", result.Reason);
    }

    [Theory]
    [InlineData("""{"status":"ok","summary":"done","tokens_in":10,"tokens_out":20}""", true, "ok", "done", 10L, 20L, null)]
    [InlineData("""{"status":"empty","summary":"nothing new"}""", true, "empty", "nothing new", null, null, null)]
    [InlineData("""{"status":"failed","summary":"upstream down"}""", false, "failed", "upstream down", null, null, "result file says failed: upstream down")]
    [InlineData("""{"status":"failed"}""", false, "failed", null, null, null, "result file says failed")]
    [InlineData("""{"summary":"no status","extra":[1,2]}""", true, null, "no status", null, null, null)]
    [InlineData("""{"tokens_in":5}""", true, null, null, 5L, null, null)]
    [InlineData("", true, null, null, null, null, null)]
    [InlineData("""{"status":"great"}""", false, null, null, null, null, "result file is invalid: status must be ok, empty or failed")]
    [InlineData("""{"tokens_in":"many"}""", false, null, null, null, null, "result file is invalid: tokens_in has the wrong type")]
    public async Task Completion_ResultFile_IsParsed(string content, bool success, string? status, string? summary, long? tokensIn, long? tokensOut, string? reason)
    {
        var result = await Run(Command("sh", "-c", """printf '%s' "$1" > "$VIGIL_RESULT_FILE" """, "sh", content));

        Assert.Equal(success, result.Success);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(status, result.ResultStatus);
        Assert.Equal(summary, result.Summary);
        Assert.Equal(tokensIn, result.TokensIn);
        Assert.Equal(tokensOut, result.TokensOut);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"status":"ok",}""")]
    [InlineData("[1,2]")]
    public async Task Completion_ResultFileNotJson_Fails(string content)
    {
        var result = await Run(Command("sh", "-c", """printf '%s' "$1" > "$VIGIL_RESULT_FILE" """, "sh", content));

        Assert.False(result.Success);
        Assert.StartsWith("result file is not valid JSON: ", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Reason!);
    }

    [Fact]
    public async Task Completion_NonZeroExitWithOkResult_FailsWithTheExitCode()
    {
        var result = await Run(Command("sh", "-c", """echo '{"status":"ok"}' > "$VIGIL_RESULT_FILE"; exit 2"""));

        Assert.False(result.Success);
        Assert.Equal("exit code 2", result.Reason);
        Assert.Equal("ok", result.ResultStatus);
    }

    [Fact]
    public async Task Start_ResultFile_DirectoryIsCreatedAndAStaleFileRemoved()
    {
        var context = TestRuns.Context(_temp.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(context.ResultFile)!);
        await File.WriteAllTextAsync(context.ResultFile, """{"status":"failed"}""");

        var result = await Run(Command("sh", "-c", """test -d "$(dirname "$VIGIL_RESULT_FILE")" """), context: context);

        Assert.True(result.Success, result.Reason);
        Assert.Null(result.ResultStatus);
    }

    [Fact]
    public async Task Output_StdoutAndStderr_AreMergedInOrder()
    {
        var result = await Run(Command("sh", "-c", "echo one; echo two >&2; echo three"));

        Assert.Equal("one\ntwo\nthree\n", result.Output);
    }

    [Fact]
    public async Task Output_LongerThanTheCap_KeepsTheEnd()
    {
        var runner = new CommandRunner(TimeProvider.System, TestRuns.Environment(), outputCapacity: 1000);

        var result = await Run(Command("seq", "1", "100000"), runner);

        Assert.True(result.Success, result.Reason);
        Assert.Equal(1000, result.Output.Length);
        Assert.EndsWith("99998\n99999\n100000\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_InvalidUtf8_IsReplaced()
    {
        var result = await Run(Command("printf", @"a\377b"));

        Assert.Equal("a\uFFFDb", result.Output);
    }

    [Fact]
    public async Task LastOutputTicks_AdvancesWhenOutputArrives()
    {
        var clock = new ManualTimeProvider();
        var start = clock.GetUtcNow();
        var fifo = _temp.File("go");
        TestRuns.MakeFifo(fifo);
        var runner = new CommandRunner(clock, TestRuns.Environment());
        using var action = runner.Start(Command("sh", "-c", """read line < "$1"; echo "$line" """, "sh", fifo), TestRuns.Context(_temp.Path));
        Assert.Equal(start.UtcTicks, action.LastOutputTicks);

        clock.Advance(TimeSpan.FromMinutes(5));
        await TestRuns.WriteFifo(fifo, "late\n");
        var result = await action.Finish();

        Assert.Equal("late\n", result.Output);
        Assert.Equal(start.AddMinutes(5).UtcTicks, action.LastOutputTicks);
    }

    [Fact]
    public async Task Start_ProgramNotFound_FailsWithOneLine()
    {
        var result = await Run(Command("no-such-program-for-vigil", "x"));

        Assert.False(result.Success);
        Assert.Equal("program not found: no-such-program-for-vigil", result.Reason);
    }

    [Fact]
    public async Task Start_ProgramNotExecutable_FailsWithOneLine()
    {
        await File.WriteAllTextAsync(_temp.File("script.sh"), "#!/bin/sh\necho hi\n");

        var result = await Run(new CommandAction { Argv = ["./script.sh"], Cwd = _temp.Path });

        Assert.False(result.Success);
        Assert.Equal("cannot start ./script.sh: Permission denied", result.Reason);
    }

    [Fact]
    public async Task Start_MissingPathWithSlash_FailsWithOneLine()
    {
        var result = await Run(new CommandAction { Argv = ["./missing.sh"], Cwd = _temp.Path });

        Assert.False(result.Success);
        Assert.Equal("cannot start ./missing.sh: No such file or directory", result.Reason);
    }

    [Fact]
    public async Task Start_CwdMissing_FailsWithOneLine()
    {
        var cwd = _temp.File("nowhere");

        var result = await Run(new CommandAction { Argv = ["true"], Cwd = cwd });

        Assert.False(result.Success);
        Assert.Equal($"working directory not found: {cwd}", result.Reason);
    }

    [Fact]
    public async Task Start_Child_LeadsItsOwnSessionAndProcessGroup()
    {
        var runner = new CommandRunner(TimeProvider.System, TestRuns.Environment());
        using var action = (RunningCommand)runner.Start(Command("sh", "-c", "cat /proc/$$/stat"), TestRuns.Context(_temp.Path));

        var result = await action.Finish();

        var child = ProcStat.Parse(result.Output.Trim())!.Value;
        var self = TestRuns.Stat(Environment.ProcessId);
        Assert.Equal(action.ProcessId, child.Pid);
        Assert.Equal(child.Pid, child.GroupId);
        Assert.Equal(child.Pid, child.SessionId);
        Assert.NotEqual(self.GroupId, child.GroupId);
        Assert.NotEqual(self.SessionId, child.SessionId);
    }

    [Fact]
    public async Task Start_Child_HasDefaultSignalDispositions()
    {
        // The .NET runtime ignores SIGPIPE; a child must not inherit that.
        var result = await Run(Command("grep", "SigIgn", "/proc/self/status"));

        var mask = ulong.Parse(result.Output.Split(':')[1].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        const ulong SigPipe = 1UL << (13 - 1);
        Assert.Equal(0UL, mask & SigPipe);
    }

    [Fact]
    public async Task RequestStop_CooperativeChild_EndsWithSigterm()
    {
        var fifo = _temp.File("ready");
        TestRuns.MakeFifo(fifo);
        var runner = new CommandRunner(TimeProvider.System, TestRuns.Environment());
        using var action = runner.Start(Command("sh", "-c", """echo ready > "$1"; exec sleep 600""", "sh", fifo), TestRuns.Context(_temp.Path));
        await using var cleanup = new AsyncDisposable(action.Kill);
        await TestRuns.ReadFifo(fifo);

        action.RequestStop();
        var result = await action.Finish();

        Assert.False(result.Success);
        Assert.Equal("killed by signal 15", result.Reason);
    }

    [Fact]
    public async Task Completion_BackgroundProcessHoldsTheOutput_EndsAfterTheDrainWindow()
    {
        var clock = new ManualTimeProvider();
        var runner = new CommandRunner(clock, TestRuns.Environment(), outputDrain: TimeSpan.FromSeconds(2));
        using var action = runner.Start(Command("sh", "-c", "sleep 600 & echo started"), TestRuns.Context(_temp.Path));
        await using var cleanup = new AsyncDisposable(action.Kill);

        await clock.TimerCreated.WaitAsync(TestRuns.Patience);
        Assert.False(action.Completion.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(2));
        var result = await action.Finish();

        Assert.True(result.Success, result.Reason);
        Assert.Equal("started\n", result.Output);
    }
}
