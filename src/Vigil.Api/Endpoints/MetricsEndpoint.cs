using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Api.Metrics;

namespace Vigil.Api.Endpoints;

/// <summary><c>/metrics</c>: every Vigil instrument in the Prometheus text format.</summary>
internal static class MetricsEndpoint
{
    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/metrics", async (MetricsCollector metrics, DaemonMeters meters, CancellationToken cancellationToken) =>
            {
                await meters.RefreshAsync(cancellationToken).ConfigureAwait(false);
                return Results.Text(PrometheusText.Write(metrics.Collect()), PrometheusText.ContentType);
            })
            .WithTags("probes").WithSummary("Metrics in the Prometheus text format (version 0.0.4)");
    }
}
