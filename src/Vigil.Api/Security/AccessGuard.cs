using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Vigil.Api.Security;

/// <summary>
/// Who may call the API and open the dashboard, and which state changes a browser may make.
/// </summary>
/// <remarks>
/// <para>With a token (required whenever the listener is not loopback-only), every request but the
/// health probes, the login page and the static assets carries it: as <c>Authorization: Bearer</c>,
/// or as the session cookie the login page sets (an HMAC of the token, so the token itself never
/// sits in a cookie). Every comparison is constant-time.</para>
/// <para>Without a token the listener is loopback-only and the Host header must name a loopback
/// host, so a web page that rebinds its DNS name to 127.0.0.1 cannot read or drive the API.</para>
/// <para>A state-changing request that is not authenticated by a bearer header (a browser's) must
/// carry <c>X-Vigil-Csrf</c> with this process's random CSRF token: a cross-site form cannot set a
/// header, a cross-site script cannot read the token (no CORS), so it cannot forge the change.</para>
/// </remarks>
internal sealed class AccessGuard
{
    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "vigil_session";

    /// <summary>The header that carries the CSRF token.</summary>
    public const string CsrfHeader = "X-Vigil-Csrf";

    private readonly byte[]? _tokenHash;
    private readonly string? _session;

    /// <summary>Creates the guard; <paramref name="token"/> null means no authentication (loopback only).</summary>
    public AccessGuard(string? token)
    {
        if (!string.IsNullOrEmpty(token))
        {
            _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
            _session = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "vigil dashboard session"u8))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }

        Csrf = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    }

    /// <summary>Whether requests must authenticate.</summary>
    public bool TokenRequired => _tokenHash is not null;

    /// <summary>This process's CSRF token (embedded in every page).</summary>
    public string Csrf { get; }

    /// <summary>The session cookie's value for a logged-in browser.</summary>
    public string? SessionValue => _session;

    /// <summary>Whether <paramref name="candidate"/> is the token (constant-time, length not leaked).</summary>
    public bool IsToken(string? candidate)
    {
        if (_tokenHash is null || candidate is null)
        {
            return false;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(candidate));
        return CryptographicOperations.FixedTimeEquals(hash, _tokenHash);
    }

    /// <summary>What the request is allowed: null when it may go on, else the refusal.</summary>
    public Refusal? Check(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (IsOpenPath(path))
        {
            return null;
        }

        var bearer = false;
        if (_tokenHash is null)
        {
            if (!IsLoopbackHost(request.Host.Host))
            {
                return new Refusal(StatusCodes.Status403Forbidden, $"host \"{request.Host.Host}\" refused: without a token the API answers only to 127.0.0.1, [::1] or localhost");
            }
        }
        else
        {
            bearer = IsToken(BearerOf(request));
            var cookie = request.Cookies.TryGetValue(CookieName, out var value) && value is not null && FixedEquals(value, _session!);
            if (!bearer && !cookie)
            {
                return IsPage(request)
                    ? new Refusal(StatusCodes.Status303SeeOther, "log in", RedirectTo: "/login")
                    : new Refusal(StatusCodes.Status401Unauthorized, "missing or wrong bearer token (Authorization: Bearer <the value of the token_env variable>)");
            }
        }

        if (!bearer && IsStateChange(request.Method) && !FixedEquals(request.Headers[CsrfHeader].ToString(), Csrf))
        {
            return new Refusal(StatusCodes.Status403Forbidden, $"state change refused: send Authorization: Bearer, or the {CsrfHeader} header from GET /api/csrf (cross-site requests are refused)");
        }

        return null;
    }

    /// <summary>The bearer token of the request, if any.</summary>
    public static string? BearerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    private static bool IsOpenPath(string path) =>
        path is "/healthz" or "/readyz" or "/login" || path.StartsWith("/assets/", StringComparison.Ordinal);

    private static bool IsPage(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && !request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
        && request.Path != "/metrics" && request.Path != "/openapi.json";

    private static bool IsStateChange(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}

/// <summary>Why a request is refused: its status, a one-line message, and where a browser should go instead.</summary>
internal sealed record Refusal(int Status, string Message, string? RedirectTo = null);
