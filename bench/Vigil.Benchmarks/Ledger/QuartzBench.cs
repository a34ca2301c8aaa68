using System.Collections.Specialized;
using System.Diagnostics;
using Quartz;
using Quartz.Impl;
using Vigil.Cli.Bench;

namespace Vigil.Benchmarks.Ledger;

/// <summary>
/// Quartz.NET doing what <c>vigil bench throughput</c> and <c>latency</c> do: no-op jobs fired as
/// fast as it can, and 1,000 triggers every second; with the in-memory store or the ADO store on a
/// SQLite file (WAL, synchronous=FULL).
/// </summary>
internal static class QuartzBench
{
    /// <summary>The thread pool size and trigger batch size given to Quartz (its defaults are 10 and 1).</summary>
    public const int Concurrency = 100;

    private const int ScheduleChunk = 500;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(20);

    public static async Task<BenchReport> ThroughputAsync(bool ado, int count)
    {
        var report = new BenchReport(ado ? "quartz_ado_sqlite_throughput" : "quartz_ram_throughput");
        await using var scheduler = await QuartzScheduler.StartAsync(ado, report);
        NoOpJob.Reset();
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < count; start += ScheduleChunk)
        {
            var jobs = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>();
            for (var i = start; i < Math.Min(count, start + ScheduleChunk); i++)
            {
                var job = JobBuilder.Create<NoOpJob>().WithIdentity($"job-{i}").Build();
                jobs[job] = [TriggerBuilder.Create().WithIdentity($"trigger-{i}").StartNow().Build()];
            }

            await scheduler.Scheduler.ScheduleJobs(jobs, replace: true);
        }

        var scheduled = clock.Elapsed;
        while (NoOpJob.Calls < count)
        {
            await Task.Delay(1);
        }

        var elapsed = clock.Elapsed;
        return report.Add("runs", count)
            .Add("seconds", elapsed.TotalSeconds)
            .Add("runs_per_second", count / elapsed.TotalSeconds)
            .Add("schedule_seconds", scheduled.TotalSeconds)
            .Add("max_concurrency", Concurrency);
    }

    public static async Task<BenchReport> LatencyAsync(bool ado, int count, int seconds, bool spread)
    {
        var report = new BenchReport(ado ? "quartz_ado_sqlite_latency" : "quartz_ram_latency");
        await using var scheduler = await QuartzScheduler.StartAsync(ado, report);
        var now = DateTimeOffset.UtcNow;
        var anchor = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddSeconds(1);
        var from = anchor + WarmUp;
        var until = from + TimeSpan.FromSeconds(seconds);
        NoOpJob.Reset(count * (seconds + 2), from, until);
        var step = spread ? TimeSpan.FromSeconds(1) / count : TimeSpan.Zero;
        for (var start = 0; start < count; start += ScheduleChunk)
        {
            var jobs = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>();
            for (var i = start; i < Math.Min(count, start + ScheduleChunk); i++)
            {
                var job = JobBuilder.Create<NoOpJob>().WithIdentity($"job-{i}").Build();
                jobs[job] = [TriggerBuilder.Create()
                    .WithIdentity($"trigger-{i}")
                    .StartAt(anchor + (step * i))
                    .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(1)).RepeatForever())
                    .Build()];
            }

            await scheduler.Scheduler.ScheduleJobs(jobs, replace: true);
        }

        var wait = until + TimeSpan.FromSeconds(1) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        report.Add("jobs", count)
            .Add("cadence", "every 1s")
            .Add("slots", spread ? "spread over the second" : "all on the same instant")
            .Add("seconds", seconds)
            .Add("expected_runs", (long)count * seconds)
            .Add("recorded_runs", NoOpJob.Lateness.Length);
        Percentiles.AddTo(report, "lateness", NoOpJob.Lateness);
        return report.Add("max_concurrency", Concurrency);
    }

    /// <summary>A started scheduler and its temporary database, shut down and deleted on dispose.</summary>
    private sealed class QuartzScheduler : IAsyncDisposable
    {
        private readonly string? _directory;

        private QuartzScheduler(IScheduler scheduler, string? directory)
        {
            Scheduler = scheduler;
            _directory = directory;
        }

        public IScheduler Scheduler { get; }

        public static async Task<QuartzScheduler> StartAsync(bool ado, BenchReport report)
        {
            var properties = new NameValueCollection
            {
                ["quartz.scheduler.instanceName"] = "bench",
                ["quartz.threadPool.maxConcurrency"] = Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["quartz.scheduler.batchTriggerAcquisitionMaxCount"] = Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            string? directory = null;
            if (ado)
            {
                directory = Path.Combine(Path.GetTempPath(), "quartz-bench-" + Guid.NewGuid().ToString("N")[..12]);
                Directory.CreateDirectory(directory);
                var path = Path.Combine(directory, "quartz.db");
                report.Add("sqlite", QuartzSqliteSchema.Create(path));
                properties["quartz.jobStore.type"] = "Quartz.Impl.AdoJobStore.JobStoreTX, Quartz";
                properties["quartz.jobStore.driverDelegateType"] = "Quartz.Impl.AdoJobStore.SQLiteDelegate, Quartz";
                properties["quartz.jobStore.tablePrefix"] = "QRTZ_";
                properties["quartz.jobStore.dataSource"] = "bench";
                properties["quartz.jobStore.useProperties"] = "true";
                properties["quartz.dataSource.bench.provider"] = "SQLite-Microsoft";
                properties["quartz.dataSource.bench.connectionString"] = $"Data Source={path}";
                properties["quartz.serializer.type"] = typeof(StringMapSerializer).AssemblyQualifiedName;
            }

            var scheduler = await new StdSchedulerFactory(properties).GetScheduler();
            await scheduler.Start();
            return new QuartzScheduler(scheduler, directory);
        }

        public async ValueTask DisposeAsync()
        {
            await Scheduler.Shutdown(waitForJobsToComplete: false);
            if (_directory is not null)
            {
                Directory.Delete(_directory, recursive: true);
            }
        }
    }
}
