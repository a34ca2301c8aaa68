using Vigil.Jobs;

namespace Vigil.Configuration;

/// <summary>A loaded <c>vigil.yaml</c>: paths resolved, defaults applied, every job validated.</summary>
public sealed record VigilConfig
{
    /// <summary>The default for <see cref="ServerConfig.Listen"/>.</summary>
    public const string DefaultListen = "127.0.0.1:7878";

    /// <summary>The config file's full path.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>The data directory's full path (<c>data_dir</c>, relative to the config file; default <c>./vigil-data</c>).</summary>
    public required string DataDir { get; init; }

    /// <summary>A <c>postgres://</c> URL, or null for the embedded SQLite ledger at <see cref="SqlitePath"/>.</summary>
    public string? Storage { get; init; }

    /// <summary>This node's id (<c>node</c>; default: the host name).</summary>
    public required string Node { get; init; }

    /// <summary>The IANA zone jobs without their own <c>timezone</c> use (default: the host's zone).</summary>
    public required string TimeZone { get; init; }

    /// <summary>The HTTP API.</summary>
    public ServerConfig Server { get; init; } = new();

    /// <summary>Metrics export beyond <c>/metrics</c>.</summary>
    public MetricsConfig Metrics { get; init; } = new();

    /// <summary>How long a stop waits for running actions before interrupting them (default 5m).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Runs this node executes at once, over all jobs (default 16).</summary>
    public int MaxConcurrentRuns { get; init; } = 16;

    /// <summary>The built-in policies with the config's <c>defaults:</c> applied; every job starts from these.</summary>
    public JobPolicies Defaults { get; init; } = JobPolicies.Default;

    /// <summary>A scheduler loop that makes no progress for this long is stalled (<c>stall_after</c>, default 2m).</summary>
    public TimeSpan StallAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>What the daemon does when a loop stalls (<c>on_stall</c>, default <see cref="StallAction.Log"/>).</summary>
    public StallAction OnStall { get; init; } = StallAction.Log;

    /// <summary>How long after its last notice an open, unacknowledged incident is sent again (<c>alert_reminder</c>, default 6h; null: never).</summary>
    public TimeSpan? AlertReminder { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Where incidents are sent, in file order.</summary>
    public IReadOnlyList<AlertSink> Alerts { get; init; } = [];

    /// <summary>The declared jobs in file order, each with <see cref="JobSource.Config"/>.</summary>
    public IReadOnlyList<JobDefinition> Jobs { get; init; } = [];

    /// <summary>The embedded ledger's file: <c>vigil.db</c> in <see cref="DataDir"/> (used when <see cref="Storage"/> is null).</summary>
    public string SqlitePath => Path.Combine(DataDir, "vigil.db");
}

/// <summary><c>on_stall</c>.</summary>
public enum StallAction
{
    /// <summary>Log the stall and open an incident; keep running.</summary>
    Log,

    /// <summary>Also exit non-zero, so that the service manager restarts the daemon.</summary>
    Exit,
}

/// <summary>The <c>server:</c> section.</summary>
public sealed record ServerConfig
{
    /// <summary><c>host:port</c> the API listens on (default <c>127.0.0.1:7878</c>; port 0 picks a free port).</summary>
    public string Listen { get; init; } = VigilConfig.DefaultListen;

    /// <summary>The environment variable holding the API's bearer token (default <c>VIGIL_TOKEN</c>).</summary>
    public string TokenEnv { get; init; } = "VIGIL_TOKEN";
}

/// <summary>The <c>metrics:</c> section.</summary>
public sealed record MetricsConfig
{
    /// <summary>When set, metrics are pushed over OTLP/HTTP to this URL (<c>/v1/metrics</c> is added to a bare base URL).</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>How often metrics are pushed (default 15s).</summary>
    public TimeSpan OtlpInterval { get; init; } = TimeSpan.FromSeconds(15);
}
