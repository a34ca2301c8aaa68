using Microsoft.AspNetCore.Routing;

namespace Vigil.Api.Dashboard;

/// <summary>The dashboard's pages and assets.</summary>
internal static class DashboardEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        _ = routes;
    }
}
