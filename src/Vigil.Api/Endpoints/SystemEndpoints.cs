using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Api.Hosting;
using Vigil.Scheduling;

namespace Vigil.Api.Endpoints;

/// <summary>The daemon itself: drain, liveness, readiness, the CSRF token.</summary>
internal static class SystemEndpoints
{
    /// <summary>How long past its longest sleep a loop may stay quiet before liveness fails.</summary>
    private static readonly TimeSpan LoopSlack = TimeSpan.FromSeconds(30);

    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/drain", Drain).WithTags("daemon").WithSummary("Drain the daemon, as SIGTERM does");
        routes.MapGet("/api/csrf", (ApiState state) => ApiResponses.Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("csrf", state.Guard.Csrf);
            writer.WriteString("header", Security.AccessGuard.CsrfHeader);
            writer.WriteEndObject();
        })).WithTags("daemon").WithSummary("The CSRF token a state change without a bearer header sends as X-Vigil-Csrf");
        routes.MapGet("/healthz", Health).WithTags("probes").WithSummary("Liveness: the process answers and the engine's loop went round recently");
        routes.MapGet("/readyz", ReadyAsync).WithTags("probes").WithSummary("Readiness: recovery is done and the ledger answers");
    }

    private static IResult Drain(ApiState state)
    {
        var started = state.Daemon.RequestDrain();
        return ApiResponses.Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("draining", true);
            writer.WriteBoolean("already", !started);
            writer.WriteEndObject();
        }, StatusCodes.Status202Accepted);
    }

    private static IResult Health(ApiState state)
    {
        var daemon = state.Daemon;
        var now = daemon.Time.GetUtcNow();
        var age = daemon.LastLoopAt is { } last ? now - last : (TimeSpan?)null;
        var stalled = age is { } a && a > (daemon.MaxLoopSleep * 2) + LoopSlack;
        return ApiResponses.Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("status", stalled ? "stalled" : age is null ? "starting" : "ok");
            if (age is { } seconds)
            {
                writer.WriteNumber("loop_age_seconds", Math.Round(seconds.TotalSeconds, 3));
            }
            else
            {
                writer.WriteNull("loop_age_seconds");
            }

            writer.WriteEndObject();
        }, stalled ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    private static async Task<IResult> ReadyAsync(ApiState state, CancellationToken cancellationToken)
    {
        string? problem = null;
        if (!state.Daemon.Ready)
        {
            problem = "recovery not done yet";
        }
        else
        {
            try
            {
                await state.Daemon.Store.ListJobsPageAsync(after: null, limit: 1, includeRemoved: true, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Any failure of the ledger is what readiness reports.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                problem = "ledger: " + e.Message;
            }
        }

        return ApiResponses.Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("status", problem is null ? "ready" : "not ready");
            if (problem is not null)
            {
                writer.WriteString("reason", problem);
            }

            writer.WriteString("time", Iso.Format(state.Daemon.Time.GetUtcNow()));
            writer.WriteEndObject();
        }, problem is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Seconds as text with invariant digits.</summary>
    internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
