using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vigil.Operations.Json;

namespace Vigil.Api;

/// <summary>How the API answers: JSON written with the same writers the CLI's <c>--json</c> uses.</summary>
internal static class ApiResponses
{
    /// <summary>The JSON content type.</summary>
    public const string JsonType = "application/json; charset=utf-8";

    /// <summary>A JSON document written by <paramref name="write"/>.</summary>
    public static IResult Json(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK) =>
        Results.Text(JsonText.Write(write), JsonType, System.Text.Encoding.UTF8, status);

    /// <summary><c>{"error": message}</c> with <paramref name="status"/>.</summary>
    public static IResult Error(int status, string message) =>
        Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", message);
            writer.WriteEndObject();
        }, status);

    /// <summary>Writes <c>{"error": message}</c> straight to a response (middleware, status pages).</summary>
    public static async Task WriteErrorAsync(HttpResponse response, int status, string message)
    {
        response.StatusCode = status;
        response.ContentType = JsonType;
        await response.WriteAsync(
            JsonText.Write(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("error", message);
                writer.WriteEndObject();
            }),
            response.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}
