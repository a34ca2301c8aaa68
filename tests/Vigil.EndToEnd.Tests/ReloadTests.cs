namespace Vigil.EndToEnd.Tests;

/// <summary>SIGHUP through the real binary: a config with errors is reported and the running jobs keep running.</summary>
/// <remarks>
/// The daemon is given a symlink to a file in another directory: editing that file does not touch
/// the directory the daemon watches, so the SIGHUP alone asks for each reload.
/// </remarks>
public sealed class ReloadTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Workspace _workspace = new();

    public ReloadTests()
    {
        Directory.CreateDirectory(_workspace.File("edited"));
        File.CreateSymbolicLink(_workspace.Config, Edited);
    }

    private string Edited => Path.Combine(_workspace.File("edited"), "vigil.yaml");

    public void Dispose() => _workspace.Dispose();

    private void WriteConfig(params string[] jobs) => File.WriteAllText(Edited, $$"""
        data_dir: {{_workspace.File("data")}}
        node: e2e
        timezone: UTC
        jobs:

        """ + string.Concat(jobs));

    private static string Job(string name, string every) => $$"""
          {{name}}:
            every: {{every}}
            run: { command: ["true"] }

        """;

    [Fact]
    public async Task Sighup_ConfigWithAnError_KeepsRunningTheOldJobsAndALaterValidReloadApplies()
    {
        WriteConfig(Job("a", "1s"));
        using var daemon = Daemon.Start(_workspace.Config);
        await _workspace.Ledger.WaitForRunsAsync(r => r.Any(x => x.Job == "a" && x.State == "succeeded"), "a run of a", Patience);

        WriteConfig(Job("a", "1s"), Job("b", "1x"));
        daemon.Signal(Posix.SigHup);
        // The config file's change may be coalesced into the same reload: "(SIGHUP and config file changed)".
        var failed = await daemon.WaitForLogAsync("Config not reloaded (SIGHUP", Patience);

        Assert.Contains("\"1x\"", daemon.Log, StringComparison.Ordinal);
        var rejectedAt = TimeProvider.System.GetUtcNow();
        await _workspace.Ledger.WaitForRunsAsync(r => r.Any(x => x.Job == "a" && x.State == "succeeded" && x.Slot > rejectedAt), "a run of a after the rejected reload", Patience);
        Assert.False(daemon.HasExited);
        Assert.DoesNotContain(_workspace.Ledger.Jobs(), j => j.Name == "b");

        WriteConfig(Job("a", "1s"), Job("b", "1s"));
        daemon.Signal(Posix.SigHup);
        await daemon.WaitForLogAsync("Config reloaded (SIGHUP", Patience, fromLine: failed);
        await _workspace.Ledger.WaitForRunsAsync(r => r.Any(x => x.Job == "b" && x.State == "succeeded"), "a run of b after the valid reload", Patience);

        daemon.Signal(Posix.SigTerm);
        Assert.Equal(0, await daemon.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task Sighup_DaemonStartedUnderNohup_StillReloads()
    {
        WriteConfig(Job("a", "1s"));
        using var daemon = Daemon.Start(_workspace.Config, nohup: true);
        await _workspace.Ledger.WaitForRunsAsync(r => r.Any(x => x.Job == "a" && x.State == "succeeded"), "a run of a", Patience);

        WriteConfig(Job("a", "1s"), Job("b", "1s"));
        daemon.Signal(Posix.SigHup);
        await daemon.WaitForLogAsync("Config reloaded (SIGHUP", Patience);
        await _workspace.Ledger.WaitForRunsAsync(r => r.Any(x => x.Job == "b" && x.State == "succeeded"), "a run of b after the reload", Patience);

        daemon.Signal(Posix.SigTerm);
        Assert.Equal(0, await daemon.WaitForExitAsync(Patience));
    }
}
