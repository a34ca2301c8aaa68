namespace Vigil.Api.Hosting;

/// <summary>How the HTTP surface listens and whom it lets in.</summary>
public sealed record ApiOptions
{
    /// <summary>Where to listen.</summary>
    public required ListenAddress Listen { get; init; }

    /// <summary>The bearer token every request must carry, or null when none is required (loopback only).</summary>
    public string? Token { get; init; }

    /// <summary>The largest request body accepted (default 64 KiB).</summary>
    public long MaxRequestBodyBytes { get; init; } = 64 * 1024;

    /// <summary>When set, metrics are also pushed to this OTLP endpoint.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>How often metrics are pushed over OTLP.</summary>
    public TimeSpan OtlpInterval { get; init; } = TimeSpan.FromSeconds(15);
}
