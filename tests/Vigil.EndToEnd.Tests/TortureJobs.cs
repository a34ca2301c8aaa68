using System.Globalization;
using System.Text;

namespace Vigil.EndToEnd.Tests;

/// <summary>One job of the torture config and the policy the audit holds it to.</summary>
internal sealed record TortureJob(string Name, TimeSpan Period, bool Record, string Overlap)
{
    public string OnInterrupt => Record ? "record" : "retry";
}

/// <summary>The torture test's jobs, its config and the command every job runs.</summary>
internal static class TortureJobs
{
    public const int MaxAttempts = 3;
    public static readonly TimeSpan RetryWindow = TimeSpan.FromHours(6);

    /// <summary>
    /// The side effect: one line per execution (job, slot, attempt, pid, seconds since boot),
    /// appended with one write; then 0-3 s of "work"; then, only if the work was not killed, an
    /// end line (the same fields and "end"). No process is forked before the first line is
    /// written, so the pid in the line is the run's process.
    /// </summary>
    public const string EffectScript = """
        read up _ < /proc/uptime
        echo "$VIGIL_JOB $VIGIL_SLOT $VIGIL_ATTEMPT $$ $up" >> effects.log
        ms=$(( ($$ * 7919 + VIGIL_RUN_ID * 104729) % 3001 ))
        sleep "$((ms / 1000)).$((ms % 1000 / 100))$((ms % 100 / 10))$((ms % 10))"
        read up _ < /proc/uptime
        echo "$VIGIL_JOB $VIGIL_SLOT $VIGIL_ATTEMPT $$ $up end" >> effects.log
        """;

    /// <summary>
    /// 20 jobs every 2 s crossing on_interrupt (retry, record) with overlap (skip, allow), five of
    /// each kind, and 4 jobs every 5 s, long enough between slots for retries to start.
    /// </summary>
    /// <remarks>
    /// Every command run starts a run supervisor (a <c>vigil shim</c> process, about 0.1 s of CPU):
    /// the periods keep the load at about eleven runs a second, which a two-core machine sustains
    /// while the daemon plans on time.
    /// </remarks>
    public static IReadOnlyList<TortureJob> Create()
    {
        var jobs = new List<TortureJob>();
        foreach (var seconds in new[] { 2 })
        {
            foreach (var record in new[] { false, true })
            {
                foreach (var overlap in new[] { "skip", "allow" })
                {
                    for (var copy = 0; copy < 5; copy++)
                    {
                        jobs.Add(new TortureJob($"j{jobs.Count:00}-{seconds}s-{(record ? "record" : "retry")}-{overlap}", TimeSpan.FromSeconds(seconds), record, overlap));
                    }
                }
            }
        }

        foreach (var (record, overlap) in new[] { (false, "skip"), (false, "skip"), (false, "allow"), (true, "skip") })
        {
            jobs.Add(new TortureJob($"j{jobs.Count:00}-5s-{(record ? "record" : "retry")}-{overlap}", TimeSpan.FromSeconds(5), record, overlap));
        }

        return jobs;
    }

    /// <summary>The config; <paramref name="onStop"/> is the top-level <c>on_stop</c> (detach while torturing, drain for the audited last stop).</summary>
    public static string Config(IReadOnlyList<TortureJob> jobs, string onStop = "detach")
    {
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $$"""
            data_dir: ./data
            node: torture
            timezone: UTC
            on_stop: {{onStop}}
            drain_timeout: 2s
            max_concurrent_runs: 64
            defaults:
              timeout: 10s
              kill_grace: 1s
              retry: { max_attempts: {{MaxAttempts}}, backoff: 100ms, window: 6h }
            jobs:

            """);
        foreach (var job in jobs)
        {
            yaml.Append(CultureInfo.InvariantCulture, $$"""
                  {{job.Name}}:
                    every: {{(int)job.Period.TotalSeconds}}s
                    on_interrupt: {{job.OnInterrupt}}
                    overlap: {{job.Overlap}}
                    run: { command: ["sh", "./effect.sh"] }

                """);
        }

        return yaml.ToString();
    }
}
