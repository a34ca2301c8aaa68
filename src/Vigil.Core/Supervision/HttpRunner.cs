using System.Text;
using Vigil.Jobs;

namespace Vigil.Supervision;

/// <summary>Runs <see cref="HttpAction"/>s with one shared <see cref="HttpClient"/>.</summary>
/// <remarks>
/// <para>
/// <c>${VAR}</c> is expanded in the URL, header values and body from the daemon's environment. Header
/// values, and the value of every variable the action uses, are treated as secrets: they are
/// redacted from reasons and from the captured response, which may echo the request.
/// </para>
/// <para>
/// The client the runner creates has no timeout of its own (the supervisor owns deadlines) and does
/// not follow redirects: a redirect is reported as its status rather than silently replayed elsewhere.
/// </para>
/// </remarks>
internal sealed class HttpRunner : IActionRunner, IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private readonly Func<string, string?> _environment;
    private readonly int _outputCapacity;

    /// <summary>Creates the runner.</summary>
    /// <param name="timeProvider">The clock for <see cref="IRunningAction.LastOutputTicks"/>.</param>
    /// <param name="client">A shared client; null creates one that the runner owns and disposes.</param>
    /// <param name="environment">Looks up <c>${VAR}</c>; null reads the process environment.</param>
    /// <param name="outputCapacity">The response tail's cap in bytes.</param>
    public HttpRunner(
        TimeProvider timeProvider,
        HttpClient? client = null,
        Func<string, string?>? environment = null,
        int outputCapacity = OutputTail.DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _ownsClient = client is null;
        _client = client ?? CreateClient();
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _outputCapacity = outputCapacity;
    }

    /// <inheritdoc />
    public bool CanRun(ActionSpec action) => action is HttpAction;

    /// <inheritdoc />
    public IRunningAction Start(ActionSpec action, RunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (action is not HttpAction http)
        {
            throw new ArgumentException($"The HTTP runner cannot run a {action?.Kind ?? "null"} action.", nameof(action));
        }

        var secrets = new List<string>();
        string? Lookup(string name)
        {
            var value = _environment(name);
            if (value is not null)
            {
                secrets.Add(value);
            }

            return value;
        }

        string? missing = null;
        string Expand(string text, string where)
        {
            if (missing is not null)
            {
                return string.Empty;
            }

            if (!Jobs.Placeholders.TryExpand(text, Lookup, out var expanded, out var expandError))
            {
                missing = $"{where}: {expandError}";
            }

            return expanded;
        }

        var url = Expand(http.Url, "url");
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in http.Headers)
        {
            var expanded = Expand(value, $"header {name}");
            secrets.Add(expanded);
            headers.Add(new(name, expanded));
        }

        var body = http.Body is null ? null : Expand(http.Body, "body");
        if (missing is not null)
        {
            return Fail(missing);
        }

        var redactor = new Redactor(secrets);
        var request = BuildRequest(http.Method, url, headers, body, out var error);
        if (request is null)
        {
            return Fail(redactor.Apply(error ?? "invalid request"));
        }

        var tail = new OutputTail(_outputCapacity, _timeProvider);
        return new RunningHttpCall(_client, request, http.ExpectStatus, redactor, tail);
    }

    /// <summary>Disposes the client if the runner created it.</summary>
    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private static HttpRequestMessage? BuildRequest(
        string method,
        string url,
        List<KeyValuePair<string, string>> headers,
        string? body,
        out string? error)
    {
        error = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error = "url is not an absolute http or https URL";
            return null;
        }

        HttpMethod httpMethod;
        try
        {
            httpMethod = HttpMethod.Parse(method);
        }
        catch (FormatException)
        {
            error = $"invalid HTTP method {Reasons.OneLine(method)}";
            return null;
        }

        var request = new HttpRequestMessage(httpMethod, uri);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
        }

        foreach (var (name, value) in headers)
        {
            if (AddHeader(request, name, value))
            {
                continue;
            }

            // The value is never part of the reason: it may be a secret.
            error = $"header {Reasons.OneLine(name)} cannot be sent";
            request.Dispose();
            return null;
        }

        return request;
    }

    private static bool AddHeader(HttpRequestMessage request, string name, string value)
    {
        if (value.AsSpan().ContainsAny('\r', '\n', '\0'))
        {
            return false;
        }

        try
        {
            if (request.Headers.TryAddWithoutValidation(name, value))
            {
                return true;
            }

            // Content-Type and the other content headers belong to the content, even an empty one.
            request.Content ??= new ByteArrayContent([]);
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.ContentType = null;
            }

            return request.Content.Headers.TryAddWithoutValidation(name, value);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private NotStartedAction Fail(string reason) => new(reason, _timeProvider);

    private static HttpClient CreateClient() =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
}
