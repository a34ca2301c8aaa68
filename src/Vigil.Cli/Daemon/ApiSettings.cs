using Vigil.Api.Hosting;
using Vigil.Configuration;

namespace Vigil.Cli.Daemon;

/// <summary>The HTTP surface's settings from the config and the environment, checked before the daemon starts anything.</summary>
internal static class ApiSettings
{
    /// <summary>
    /// The listener and token. A listener beyond loopback without a token is refused: anyone who can
    /// reach the port could then drive every job.
    /// </summary>
    /// <exception cref="UsageException">The address is not valid, or it is not loopback and the token variable is empty.</exception>
    public static ApiOptions Resolve(VigilConfig config, CliContext context)
    {
        var server = config.Server;
        if (!ListenAddress.TryParse(server.Listen, out var listen, out var error))
        {
            throw new UsageException($"server.listen: {error}");
        }

        var token = context.GetEnvironmentVariable(server.TokenEnv);
        if (string.IsNullOrWhiteSpace(token))
        {
            token = null;
        }

        if (!listen!.IsLoopback && token is null)
        {
            throw new UsageException($"refusing to listen on {listen} without a token: set ${server.TokenEnv} (server.token_env) or listen on 127.0.0.1");
        }

        return new ApiOptions
        {
            Listen = listen,
            Token = token?.Trim(),
            OtlpEndpoint = config.Metrics.OtlpEndpoint,
            OtlpInterval = config.Metrics.OtlpInterval,
        };
    }
}
