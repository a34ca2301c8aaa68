using System.Diagnostics;

namespace Vigil.Cli.Bench;

/// <summary>
/// Two figures of size: an idle engine with 1,000 jobs (CPU share and resident memory over the
/// timed window), then an engine starting with N registered jobs (time to ready and to the end of
/// its first planning pass, resident memory after).
/// </summary>
/// <remarks>
/// The idle phase runs first so its memory figure is not inflated by the big one. The N jobs are
/// written before the clock starts and the garbage of writing them is collected, so the start figures
/// are the engine's own.
/// </remarks>
internal static class ScaleBench
{
    private const int IdleJobs = 1000;
    private const string Schedule = "0 0 * * *";

    public static async Task<BenchReport> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var report = new BenchReport("scale");
        await MeasureIdleAsync(options, report, cancellationToken).ConfigureAwait(false);
        await MeasureStartAsync(options, report, cancellationToken).ConfigureAwait(false);
        return report;
    }

    private static async Task MeasureIdleAsync(BenchOptions options, BenchReport report, CancellationToken cancellationToken)
    {
        await using var ledger = await BenchLedger.CreateAsync(options.Directory, options.Time, cancellationToken).ConfigureAwait(false);
        var created = options.Time.GetUtcNow();
        await BenchJobs.UpsertAllAsync(ledger.Store, Jobs(IdleJobs, created), cancellationToken).ConfigureAwait(false);
        var host = EngineHost.Start(ledger, new NoOpHandler(options.Time), options);
        await using (host.ConfigureAwait(false))
        {
            await host.ReadyAsync().ConfigureAwait(false);
            await host.FirstPassAsync().ConfigureAwait(false);
            var cpu = ProcessMeter.CpuTime();
            var clock = Stopwatch.StartNew();
            await Task.Delay(options.Duration, options.Time, cancellationToken).ConfigureAwait(false);
            var used = ProcessMeter.CpuTime() - cpu;
            report.Add("idle_jobs", IdleJobs)
                .Add("idle_seconds", clock.Elapsed.TotalSeconds)
                .Add("idle_cpu_percent", 100 * used.TotalSeconds / clock.Elapsed.TotalSeconds)
                .Add("idle_rss_mb", ProcessMeter.ResidentMegabytes());
        }
    }

    private static async Task MeasureStartAsync(BenchOptions options, BenchReport report, CancellationToken cancellationToken)
    {
        await using var ledger = await BenchLedger.CreateAsync(options.Directory, options.Time, cancellationToken).ConfigureAwait(false);
        var created = options.Time.GetUtcNow();
        var setup = Stopwatch.StartNew();
        await BenchJobs.UpsertAllAsync(ledger.Store, Jobs(options.Count, created, options.Distinct), cancellationToken).ConfigureAwait(false);
        var setupSeconds = setup.Elapsed.TotalSeconds;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var rssBefore = ProcessMeter.ResidentMegabytes();
        var cpuBefore = ProcessMeter.CpuTime();
        var gcBefore = GcCounts.Now();

        var host = EngineHost.Start(ledger, new NoOpHandler(options.Time), options);
        await using (host.ConfigureAwait(false))
        {
            await host.ReadyAsync().ConfigureAwait(false);
            var ready = Stopwatch.GetElapsedTime(host.Started);
            var gc = GcCounts.Now() - gcBefore;
            await host.FirstPassAsync().ConfigureAwait(false);
            var firstPass = Stopwatch.GetElapsedTime(host.Started);
            var cpu = ProcessMeter.CpuTime() - cpuBefore;
            report.Add("jobs", options.Count)
                .Add("schedule", Schedule)
                .Add("definitions", options.Distinct ? "distinct" : "one template")
                .Add("setup_seconds", setupSeconds)
                .Add("ready_seconds", ready.TotalSeconds)
                .Add("first_pass_seconds", firstPass.TotalSeconds)
                .Add("start_cpu_seconds", cpu.TotalSeconds)
                .Add("ready_gc_pause_seconds", gc.Pause.TotalSeconds)
                .Add("ready_gen0_collections", gc.Gen0)
                .Add("ready_gen1_collections", gc.Gen1)
                .Add("ready_gen2_collections", gc.Gen2)
                .Add("rss_before_start_mb", rssBefore)
                .Add("rss_mb", ProcessMeter.ResidentMegabytes())
                .Add("peak_rss_mb", ProcessMeter.PeakResidentMegabytes())
                .Add("managed_heap_mb", GC.GetTotalMemory(forceFullCollection: false) / (1024.0 * 1024.0))
                .Add("managed_live_mb", GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024.0));
        }
    }

    /// <summary>
    /// The jobs: by default one template (the definitions differ in their names only, like a fleet of
    /// per-tenant agents); <paramref name="distinct"/> gives each its own timeout, so that no two
    /// definitions share anything but their shape.
    /// </summary>
    private static IEnumerable<Vigil.Ledger.StoredJob> Jobs(int count, DateTimeOffset created, bool distinct = false)
    {
        for (var i = 0; i < count; i++)
        {
            yield return BenchJobs.Handler($"job-{i:D7}", Schedule, created, timeout: distinct ? TimeSpan.FromSeconds(3600 + i) : null);
        }
    }

    /// <summary>Collections per generation (each count includes the older generations' collections) and the total pause.</summary>
    private readonly record struct GcCounts(int Gen0, int Gen1, int Gen2, TimeSpan Pause)
    {
        public static GcCounts Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

        public static GcCounts operator -(GcCounts after, GcCounts before) =>
            new(after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, after.Pause - before.Pause);
    }
}
