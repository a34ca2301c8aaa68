using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Vigil.EndToEnd.Tests;

/// <summary>
/// The crash-torture test: the real daemon under load is killed with SIGKILL at random moments
/// (some during its drain), restarted each time, then stopped cleanly and its ledger audited
/// against G1, G2 and G4 and against the commands' own side-effect log.
/// </summary>
/// <remarks>
/// <para>VIGIL_TORTURE_KILLS sets the number of SIGKILLs (default 25; 500 with VIGIL_LONG_TESTS=1);
/// VIGIL_TORTURE_SEED replays a run (the seed is printed with the figures).</para>
/// <para>The daemon runs its commands under run supervisors (shims) and stops with
/// <c>on_stop: detach</c>: a killed or stopped daemon leaves its commands running, and the next
/// incarnation adopts them or finalizes them with their real outcome. The audit adds: no run is
/// recorded interrupted whose action finished, no slot is ever executed by two processes at once,
/// and an adopted run names its adopter. The last incarnation stops with <c>on_stop: drain</c>.</para>
/// </remarks>
public sealed class CrashTortureTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private enum Stop
    {
        /// <summary>SIGKILL while the daemon starts, before or during recovery.</summary>
        KillEarly,

        /// <summary>SIGKILL while it runs.</summary>
        Kill,

        /// <summary>SIGTERM, then SIGKILL during the drain.</summary>
        KillDuringDrain,

        /// <summary>SIGTERM and a complete drain (sometimes cut short by a second SIGTERM).</summary>
        Clean,
    }

    [Fact]
    public async Task Daemon_KilledAtRandomMomentsAndRestarted_LedgerAuditsCleanAgainstG1G2G4()
    {
        var kills = Settings.Kills;
        var seed = Settings.Seed;
        var random = new Random(seed);
        var jobs = TortureJobs.Create();
        _workspace.Write("effect.sh", TortureJobs.EffectScript);
        _workspace.Write("vigil.yaml", TortureJobs.Config(jobs));
        var clockBefore = BootEpoch();
        var total = Stopwatch.StartNew();
        var counts = new Dictionary<Stop, int>();
        var secondSignals = 0;
        IReadOnlyList<int> survivors = [];
        try
        {
            for (var sigkills = 0; sigkills < kills;)
            {
                var stop = Pick(random);
                counts[stop] = counts.GetValueOrDefault(stop) + 1;
                using var daemon = Daemon.Start(_workspace.Config);
                if (stop == Stop.KillEarly)
                {
                    await Task.Delay(random.Next(0, 1500));
                    daemon.Signal(Posix.SigKill);
                    sigkills++;
                }
                else
                {
                    await daemon.WaitForLogAsync("Recovery done", Patience);
                    await Task.Delay(random.Next(200, 4000));
                    if (stop == Stop.Kill)
                    {
                        daemon.Signal(Posix.SigKill);
                        sigkills++;
                    }
                    else
                    {
                        daemon.Signal(Posix.SigTerm);
                        if (stop == Stop.KillDuringDrain)
                        {
                            await Task.Delay(random.Next(0, 1500));
                            daemon.Signal(Posix.SigKill);
                            sigkills++;
                        }
                        else if (random.Next(2) == 0)
                        {
                            // A second signal interrupts the drain (one within 500 ms counts as the same stop).
                            await Task.Delay(random.Next(600, 1200));
                            daemon.Signal(Posix.SigTerm);
                            secondSignals++;
                        }
                    }
                }

                var exit = await daemon.WaitForExitAsync(Patience);
                if (stop == Stop.Clean)
                {
                    Assert.True(exit == 0, $"a clean stop exited {exit}:\n{daemon.Log}");
                }
            }

            // The last incarnation adopts what the killed ones left, runs undisturbed for a while and
            // stops cleanly with on_stop: drain, so the audit finds every run ended.
            _workspace.Write("vigil.yaml", TortureJobs.Config(jobs, onStop: "drain"));
            using (var last = Daemon.Start(_workspace.Config))
            {
                await last.WaitForLogAsync("Recovery done", Patience);
                var incarnation = _workspace.Ledger.Incarnations()[^1].Id;
                await _workspace.Ledger.WaitForRunsAsync(
                    runs => runs.Count(r => r.IncarnationId == incarnation && r.FinishedAt is not null) >= 40,
                    "40 runs finished by the last incarnation",
                    Patience);
                last.Signal(Posix.SigTerm);
                Assert.Equal(0, await last.WaitForExitAsync(Patience));
            }
        }
        finally
        {
            // Killed daemons leave their commands running; they end within their 3 s of work.
            survivors = await Posix.WaitUntilGoneAsync(_workspace.LoggedPids(field: 3), _workspace.Directory, TimeSpan.FromSeconds(30));
            foreach (var pid in survivors)
            {
                Posix.Signal(pid, Posix.SigKill);
            }
        }

        Assert.Empty(survivors);

        var clockAfter = BootEpoch();
        var drift = (clockAfter - clockBefore).Duration();
        var audit = Stopwatch.StartNew();
        var effects = TortureAudit.ParseEffects(_workspace.EffectLines(), clockBefore);
        var auditor = new TortureAudit(jobs, _workspace.Ledger, effects, slack: TimeSpan.FromMilliseconds(50) + drift);
        var figures = auditor.Run();
        audit.Stop();
        var incarnations = _workspace.Ledger.Incarnations().Count;

        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"torture: seed {seed}, {kills} SIGKILLs ({counts.GetValueOrDefault(Stop.KillEarly)} while starting, {counts.GetValueOrDefault(Stop.KillDuringDrain)} during a drain), " +
            $"{counts.GetValueOrDefault(Stop.Clean)} clean stops ({secondSignals} cut short by a second SIGTERM), {incarnations} incarnations, {jobs.Count} jobs; " +
            $"{figures.Slots} slots audited, {figures.Rows} rows ({string.Join(", ", figures.ByState.Select(s => $"{s.Value} {s.Key}"))}), {figures.Started} started, " +
            $"{figures.Effects} effects, {figures.RetryRows} retry rows, {figures.RetriesExecuted} retries executed, max attempt {figures.MaxAttempt}, " +
            $"{figures.PoisonGuarded} poison-guarded, {figures.LateOrphanEffects} late effects of orphaned interrupted attempts, " +
            $"{figures.Adopted} runs adopted, {figures.Finished} executions finished; " +
            $"integrity {figures.Integrity}; clock drift {drift.TotalMilliseconds:0} ms; audit {audit.ElapsedMilliseconds} ms, total {total.Elapsed.TotalSeconds:0} s");
        output.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.True(auditor.Violations.Count == 0, $"{auditor.Violations.Count} violations:\n{string.Join('\n', auditor.Violations.Take(30))}\n{summary}");
        Assert.True(figures.Effects > 0 && figures.Slots > 0, summary);
    }

    private static Stop Pick(Random random) => random.Next(100) switch
    {
        < 10 => Stop.KillEarly,
        < 60 => Stop.Kill,
        < 85 => Stop.KillDuringDrain,
        _ => Stop.Clean,
    };

    /// <summary>The wall-clock instant the system booted: turns the effects' seconds-since-boot into instants.</summary>
    private static DateTimeOffset BootEpoch()
    {
        var uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
        return TimeProvider.System.GetUtcNow() - TimeSpan.FromSeconds(uptime);
    }

    private static class Settings
    {
        public static int Kills =>
            int.TryParse(Environment.GetEnvironmentVariable("VIGIL_TORTURE_KILLS"), CultureInfo.InvariantCulture, out var kills) ? kills
            : Environment.GetEnvironmentVariable("VIGIL_LONG_TESTS") == "1" ? 500
            : 25;

        public static int Seed =>
            int.TryParse(Environment.GetEnvironmentVariable("VIGIL_TORTURE_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed
            : Random.Shared.Next();
    }
}
