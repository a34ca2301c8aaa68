using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Api.Hosting;
using Vigil.Api.Security;
using Vigil.Operations;

namespace Vigil.Api.Dashboard;

/// <summary>
/// The dashboard: server-rendered pages (jobs, one job, runs, one run, incidents, login) and the
/// two static assets embedded in this assembly. No build step, nothing fetched from elsewhere.
/// </summary>
internal static class DashboardEndpoints
{
    private static readonly Dictionary<string, (byte[] Content, string Type)> Assets = new(StringComparer.Ordinal)
    {
        ["dashboard.css"] = (Load("dashboard.css"), "text/css; charset=utf-8"),
        ["dashboard.js"] = (Load("dashboard.js"), "text/javascript; charset=utf-8"),
    };

    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", async (ApiState state, CancellationToken token) =>
            Layout.Page("Jobs", await JobsPage.RenderAsync(state, token).ConfigureAwait(false), state.Guard.Csrf))
            .WithTags("dashboard").WithSummary("Dashboard: every job, its schedule in words, next and last run, the last 20 runs");
        routes.MapGet("/jobs/{name}", async (ApiState state, string name, CancellationToken token) =>
            await PageOrMissingAsync(state, name, () => JobPage.RenderAsync(state, name, token)).ConfigureAwait(false))
            .WithTags("dashboard").WithSummary("Dashboard: one job, its schedule and next fires, incidents, timeline of slots, run history");
        routes.MapGet("/runs", async (ApiState state, HttpRequest request, CancellationToken token) =>
            await PageOrMissingAsync(state, "Runs", () => RunsPage.RenderAsync(state, request.Query["state"].ToString(), token)).ConfigureAwait(false))
            .WithTags("dashboard").WithSummary("Dashboard: the latest runs");
        routes.MapGet("/runs/{id}", async (ApiState state, string id, CancellationToken token) =>
            await PageOrMissingAsync(state, "Run " + id, () => RunPage.RenderAsync(state, ApiRequests.RunId(id), token)).ConfigureAwait(false))
            .WithTags("dashboard").WithSummary("Dashboard: one run, its state history, result, attempts and output");
        routes.MapGet("/incidents", async (ApiState state, HttpRequest request, CancellationToken token) =>
            await PageOrMissingAsync(state, "Incidents", () => IncidentsPage.RenderAsync(state, request, token)).ConfigureAwait(false))
            .WithTags("dashboard").WithSummary("Dashboard: incidents");
        routes.MapGet("/login", (ApiState state) => LoginPage(state, failed: false)).WithTags("dashboard").WithSummary("Dashboard: log in with the token");
        routes.MapPost("/login", LoginAsync).WithTags("dashboard").WithSummary("Dashboard: check the token and set the session cookie");
        routes.MapGet("/assets/{file}", (string file) =>
            Assets.TryGetValue(file, out var asset)
                ? Results.Bytes(asset.Content, asset.Type)
                : ApiResponses.Error(StatusCodes.Status404NotFound, $"no asset {file}"));
    }

    private static async Task<IResult> PageOrMissingAsync(ApiState state, string title, Func<Task<Html>> render)
    {
        try
        {
            return Layout.Page(title, await render().ConfigureAwait(false), state.Guard.Csrf);
        }
        catch (Exception e) when (e is OperationException or ApiException)
        {
            var status = e is OperationException { Kind: OperationError.NotFound } || e is ApiException { Status: StatusCodes.Status404NotFound }
                ? StatusCodes.Status404NotFound
                : StatusCodes.Status400BadRequest;
            return Layout.Page("Not found", new Html().Element("h1", "Not found").Element("p", e.Message), state.Guard.Csrf, status);
        }
    }

    private static IResult LoginPage(ApiState state, bool failed)
    {
        var html = new Html().Raw("<h1>Log in</h1>");
        if (!state.Guard.TokenRequired)
        {
            html.Raw("<p>This daemon needs no token (it listens on loopback only). ").Link("/", "Go to the jobs").Raw("</p>");
        }
        else
        {
            if (failed)
            {
                html.Element("p", "That is not the token.", "reason big");
            }

            html.Raw("<form method=\"post\" action=\"/login\" class=\"login\"><label for=\"token\">Token (the value of the server.token_env variable)</label>")
                .Raw("<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required><button type=\"submit\">Log in</button></form>");
        }

        return Layout.Page("Log in", html, state.Guard.Csrf, failed ? StatusCodes.Status401Unauthorized : StatusCodes.Status200OK);
    }

    private static async Task<IResult> LoginAsync(ApiState state, HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, "log in with the form (application/x-www-form-urlencoded)");
        }

        var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        if (!state.Guard.IsToken(form["token"].ToString()))
        {
            return LoginPage(state, failed: true);
        }

        request.HttpContext.Response.Cookies.Append(AccessGuard.CookieName, state.Guard.SessionValue!, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = request.IsHttps,
            Path = "/",
        });
        return Results.Redirect("/", permanent: false);
    }

    private static byte[] Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Vigil.Api.Dashboard." + name)
            ?? throw new InvalidOperationException($"the dashboard asset {name} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
