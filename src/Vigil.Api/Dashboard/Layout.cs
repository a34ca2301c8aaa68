using Microsoft.AspNetCore.Http;

namespace Vigil.Api.Dashboard;

/// <summary>The frame every page shares: head, navigation, the CSRF token for the script, and the page's main part.</summary>
internal static class Layout
{
    /// <summary>
    /// The page's security policy: only this origin's own script and style (no inline script, so text
    /// that slipped through as markup still could not run), no framing, forms only to this origin.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>A whole page around <paramref name="main"/>.</summary>
    public static IResult Page(string title, Html main, string csrf, int status = StatusCodes.Status200OK)
    {
        var page = new Html()
            .Raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Raw("<meta name=\"vigil-csrf\" content=\"").Text(csrf).Raw("\">")
            .Raw("<title>").Text(title + " · Vigil").Raw("</title>")
            .Raw("<link rel=\"stylesheet\" href=\"/assets/dashboard.css\"><script src=\"/assets/dashboard.js\" defer></script></head><body>")
            .Raw("<header><a class=\"brand\" href=\"/\">Vigil</a><nav><a href=\"/\">Jobs</a><a href=\"/runs\">Runs</a><a href=\"/incidents\">Incidents</a></nav>")
            .Raw("<span id=\"live\" class=\"live\" title=\"This page refreshes itself every few seconds\">live</span></header>")
            .Raw("<div id=\"toast\" role=\"status\" aria-live=\"polite\"></div>")
            .Raw("<main id=\"main\">").Raw(main.ToString()).Raw("</main></body></html>");
        return new PageResult(page.ToString(), status);
    }

    /// <summary>An HTML page with the dashboard's headers.</summary>
    private sealed class PageResult(string html, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers.CacheControl = "no-store";
            response.Headers.XFrameOptions = "DENY";
            return response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
