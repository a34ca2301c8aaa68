using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using Vigil.Api.Dashboard;
using Vigil.Api.Endpoints;
using Vigil.Api.Metrics;
using Vigil.Api.Security;
using Vigil.Operations;

namespace Vigil.Api.Hosting;

/// <summary>
/// The daemon's HTTP surface on one Kestrel listener: the JSON API under <c>/api</c>, the dashboard,
/// <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c> and <c>/openapi.json</c>.
/// </summary>
public sealed partial class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly MetricsCollector _metrics;
    private readonly DaemonMeters _meters;
    private readonly MeterProvider? _otlp;

    private ApiHost(WebApplication app, MetricsCollector metrics, DaemonMeters meters, MeterProvider? otlp, Uri address)
    {
        _app = app;
        _metrics = metrics;
        _meters = meters;
        _otlp = otlp;
        Address = address;
    }

    /// <summary>The address it listens on (the real port when the config asked for port 0).</summary>
    public Uri Address { get; }

    /// <summary>
    /// Starts listening. Throws <see cref="IOException"/> when the address cannot be bound (in use,
    /// not on this machine).
    /// </summary>
    public static async Task<ApiHost> StartAsync(ApiOptions options, IDaemonLink daemon, ILoggerProvider? logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(daemon);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "vigil", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            kestrel.Limits.MaxConcurrentConnections = 256;
            kestrel.Listen(options.Listen.Address, options.Listen.Port);
        });
        builder.Services.AddRoutingCore();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        }

        var guard = new AccessGuard(options.Token);
        var state = new ApiState(daemon, guard);
        var metrics = new MetricsCollector();
        var meters = new DaemonMeters(daemon);
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(meters);

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Vigil.Api");
        app.Use((context, next) => HandleErrorsAsync(context, next, logger));
        app.Use(async (context, next) =>
        {
            if (guard.Check(context) is { } refusal)
            {
                if (refusal.RedirectTo is { } location)
                {
                    context.Response.StatusCode = StatusCodes.Status303SeeOther;
                    context.Response.Headers.Location = location;
                    return;
                }

                if (refusal.Status == StatusCodes.Status401Unauthorized)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                }

                await ApiResponses.WriteErrorAsync(context.Response, refusal.Status, refusal.Message).ConfigureAwait(false);
                return;
            }

            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            await next(context).ConfigureAwait(false);
        });
        app.UseRouting();

        JobEndpoints.Map(app);
        RunEndpoints.Map(app);
        IncidentEndpoints.Map(app);
        SystemEndpoints.Map(app);
        MetricsEndpoint.Map(app);
        OpenApiEndpoint.Map(app);
        DashboardEndpoints.Map(app);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            metrics.Dispose();
            meters.Dispose();
            throw new IOException($"cannot listen on {options.Listen}: {e.Message}", e);
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var otlp = options.OtlpEndpoint is { } endpoint ? StartOtlp(endpoint, options.OtlpInterval) : null;
        return new ApiHost(app, metrics, meters, otlp, new Uri(bound));
    }

    /// <summary>Stops listening (in-flight requests get a moment to finish).</summary>
    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stop.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _otlp?.Dispose();
        _metrics.Dispose();
        _meters.Dispose();
    }

    /// <summary>Pushes every Vigil meter to an OTLP/HTTP endpoint (<c>/v1/metrics</c> is added to a bare base URL).</summary>
    private static MeterProvider StartOtlp(Uri endpoint, TimeSpan interval)
    {
        var target = endpoint.AbsolutePath is "" or "/" ? new Uri(endpoint, "/v1/metrics") : endpoint;
        return Sdk.CreateMeterProviderBuilder()
            .AddMeter("Vigil*")
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = target;
                exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)Math.Clamp(interval.TotalMilliseconds, 100, int.MaxValue);
            })
            .Build();
    }

    /// <summary>Every failure becomes a JSON error: 4xx with the reason for bad input, a bare 500 otherwise (logged, no trace).</summary>
    private static async Task HandleErrorsAsync(HttpContext context, RequestDelegate next, ILogger logger)
    {
        try
        {
            await next(context).ConfigureAwait(false);
            if (context.Response is { HasStarted: false, StatusCode: >= 400, ContentLength: null, ContentType: null })
            {
                await ApiResponses.WriteErrorAsync(context.Response, context.Response.StatusCode, context.Response.StatusCode switch
                {
                    StatusCodes.Status405MethodNotAllowed => $"method {context.Request.Method} not allowed on {context.Request.Path}",
                    StatusCodes.Status404NotFound => $"no route {context.Request.Method} {context.Request.Path} (see /openapi.json)",
                    _ => "request refused",
                }).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var (status, message) = e switch
            {
                ApiException api => (api.Status, api.Message),
                OperationException { Kind: OperationError.NotFound } op => (StatusCodes.Status404NotFound, op.Message),
                OperationException { Kind: OperationError.Conflict } op => (StatusCodes.Status409Conflict, op.Message),
                OperationException op => (StatusCodes.Status400BadRequest, op.Message),
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "request body too large"),
                BadHttpRequestException bad => (bad.StatusCode, "bad request: " + bad.Message),
                _ => (StatusCodes.Status500InternalServerError, $"internal error ({e.GetType().Name}); see the daemon's log"),
            };
            if (status >= 500)
            {
                LogFailed(logger, e, context.Request.Method, context.Request.Path.Value ?? "/");
            }

            context.Response.Clear();
            await ApiResponses.WriteErrorAsync(context.Response, status, message).ConfigureAwait(false);
        }
    }

    [LoggerMessage(301, LogLevel.Error, "API request {Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, string path);
}
