using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Vigil.Api.Endpoints;

/// <summary>
/// <c>/openapi.json</c>: an OpenAPI 3.1 document built from the routing table itself, so every
/// mapped route (each carries a summary) is listed and none is listed that does not exist.
/// </summary>
internal static class OpenApiEndpoint
{
    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/openapi.json", (EndpointDataSource endpoints) => ApiResponses.Json(writer => Write(writer, endpoints)))
            .WithTags("daemon").WithSummary("This document");
    }

    private static void Write(Utf8JsonWriter writer, EndpointDataSource source)
    {
        var operations = source.Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Summary: e.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary, Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods))
            .Where(e => e.Summary is not null && e.Methods is { Count: > 0 })
            .GroupBy(e => PathOf(e.Endpoint.RoutePattern.RawText ?? "/"), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);

        writer.WriteStartObject();
        writer.WriteString("openapi", "3.1.0");
        writer.WriteStartObject("info");
        writer.WriteString("title", "Vigil");
        writer.WriteString("version", typeof(OpenApiEndpoint).Assembly.GetName().Version?.ToString() ?? "0");
        writer.WriteString("description", "The Vigil daemon's HTTP API. Field names of jobs and runs are those of `vigil ... --json`. Errors are {\"error\": \"...\"} with a 4xx status.");
        writer.WriteEndObject();
        writer.WriteStartObject("paths");
        foreach (var path in operations)
        {
            writer.WriteStartObject(path.Key);
            foreach (var (endpoint, summary, methods) in path)
            {
                foreach (var method in methods!)
                {
                    writer.WriteStartObject(method.ToLowerInvariant());
                    writer.WriteString("summary", summary);
                    writer.WriteStartArray("tags");
                    foreach (var tag in endpoint.Metadata.GetOrderedMetadata<ITagsMetadata>().SelectMany(t => t.Tags))
                    {
                        writer.WriteStringValue(tag);
                    }

                    writer.WriteEndArray();
                    writer.WriteStartArray("parameters");
                    foreach (var parameter in endpoint.RoutePattern.Parameters)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("name", parameter.Name);
                        writer.WriteString("in", "path");
                        writer.WriteBoolean("required", true);
                        writer.WriteStartObject("schema");
                        writer.WriteString("type", "string");
                        writer.WriteEndObject();
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteStartObject("responses");
                    writer.WriteStartObject("default");
                    writer.WriteString("description", "JSON; 4xx errors are {\"error\": \"...\"}");
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteStartObject("components");
        writer.WriteStartObject("securitySchemes");
        writer.WriteStartObject("bearer");
        writer.WriteString("type", "http");
        writer.WriteString("scheme", "bearer");
        writer.WriteString("description", "The value of the environment variable server.token_env names; required when the daemon listens beyond loopback");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>A route pattern as an OpenAPI path: no trailing slash, parameters without constraints.</summary>
    private static string PathOf(string pattern)
    {
        var path = "/" + pattern.Trim('/');
        return System.Text.RegularExpressions.Regex.Replace(path, "\\{([A-Za-z_]+)(:[^}]*)?\\}", "{$1}");
    }
}
