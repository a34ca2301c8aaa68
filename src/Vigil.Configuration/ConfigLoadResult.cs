using System.Diagnostics.CodeAnalysis;

namespace Vigil.Configuration;

/// <summary>The outcome of loading a config file: the config, or every error found in it.</summary>
public sealed record ConfigLoadResult
{
    private ConfigLoadResult(VigilConfig? config, IReadOnlyList<ConfigError> errors)
    {
        Config = config;
        Errors = errors;
    }

    /// <summary>The config, or null when there are errors.</summary>
    public VigilConfig? Config { get; }

    /// <summary>Every error, in file order; empty when the config loaded.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    /// <summary>Whether the config loaded without errors.</summary>
    [MemberNotNullWhen(true, nameof(Config))]
    public bool Succeeded => Config is not null;

    internal static ConfigLoadResult Success(VigilConfig config) => new(config, []);

    internal static ConfigLoadResult Failure(IReadOnlyList<ConfigError> errors) => new(null, errors);
}
