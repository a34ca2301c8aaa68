using System.Net.Http.Headers;
using System.Text;
using Vigil.Engine;
using Vigil.Incidents;
using Vigil.Jobs;
using Vigil.Supervision;

namespace Vigil.Alerts;

/// <summary>The body a <see cref="WebhookSink"/> POSTs.</summary>
public enum WebhookFormat
{
    /// <summary>Vigil's JSON (<see cref="AlertText.Json"/>).</summary>
    Json,

    /// <summary>A Slack incoming-webhook message (<c>{"text": ...}</c>).</summary>
    Slack,

    /// <summary>A Telegram <c>sendMessage</c> body (<c>{"chat_id": ..., "text": ...}</c>).</summary>
    Telegram,
}

/// <summary>POSTs each notice to a URL; any 2xx answer means it was taken.</summary>
/// <remarks>
/// <c>${VAR}</c> placeholders in the URL, the headers and the chat id are expanded from the
/// environment at each delivery, and every expanded value is redacted from error messages: webhook
/// URLs (Slack's path, Telegram's bot token) and headers are secrets, and never reach the log.
/// </remarks>
public sealed class WebhookSink : IAlertSink
{
    private readonly HttpClient _client;
    private readonly string _url;
    private readonly WebhookFormat _format;
    private readonly string? _chatId;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;
    private readonly Func<string, string?> _environment;

    /// <summary>Creates the sink.</summary>
    /// <param name="client">The HTTP client (shared; its timeout is not relied on).</param>
    /// <param name="url">The URL, possibly with <c>${VAR}</c> placeholders.</param>
    /// <param name="format">The body's shape.</param>
    /// <param name="chatId">The Telegram chat id (required for <see cref="WebhookFormat.Telegram"/>).</param>
    /// <param name="headers">Extra request headers, possibly with placeholders.</param>
    /// <param name="environment">Where placeholders come from (default: the process environment).</param>
    public WebhookSink(HttpClient client, string url, WebhookFormat format, string? chatId = null, IReadOnlyList<KeyValuePair<string, string>>? headers = null, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (format == WebhookFormat.Telegram && string.IsNullOrEmpty(chatId))
        {
            throw new ArgumentException("a telegram webhook needs a chat id", nameof(chatId));
        }

        _client = client;
        _url = url;
        _format = format;
        _chatId = chatId;
        _headers = headers ?? [];
        _environment = environment ?? Environment.GetEnvironmentVariable;
        Id = "webhook-" + DefinitionHash.Of(url).ToString("x16", System.Globalization.CultureInfo.InvariantCulture)[..8];
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public async Task DeliverAsync(AlertRecord alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var secrets = new List<string>();
        var url = Expand(_url, "url", secrets);
        var chatId = _chatId is null ? null : Expand(_chatId, "chat_id", secrets);
        var body = _format switch
        {
            WebhookFormat.Slack => AlertText.Slack(alert),
            WebhookFormat.Telegram => AlertText.Telegram(alert, chatId!),
            _ => AlertText.Json(alert),
        };
        var redactor = new Redactor(secrets);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new AlertDeliveryException("the webhook URL is not an absolute http or https URL");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in _headers)
        {
            var expanded = Expand(value, "header " + name, secrets);
            redactor = new Redactor(secrets);
            if (!request.Headers.TryAddWithoutValidation(name, expanded))
            {
                request.Content.Headers.TryAddWithoutValidation(name, expanded);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new AlertDeliveryException(redactor.Apply($"{Where(uri)}: {e.Message}"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AlertDeliveryException($"{Where(uri)}: the request timed out");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new AlertDeliveryException($"{Where(uri)}: HTTP {(int)response.StatusCode}");
            }
        }
    }

    /// <summary>Scheme, host and port only: the path and query of a webhook URL may be its secret.</summary>
    private static string Where(Uri uri) => $"webhook {uri.Scheme}://{uri.Authority}";

    private string Expand(string text, string where, List<string> secrets)
    {
        if (!Placeholders.TryExpand(text, _environment, out var expanded, out var error))
        {
            throw new AlertDeliveryException($"webhook {where}: {error}");
        }

        secrets.Add(expanded);
        return expanded;
    }
}
