namespace Vigil.Configuration;

/// <summary>Where incidents are sent: a webhook or a command (the <c>alerts:</c> list).</summary>
public abstract record AlertSink
{
    private protected AlertSink()
    {
    }
}

/// <summary>POSTs each incident notice to a URL.</summary>
public sealed record WebhookAlertSink : AlertSink
{
    /// <summary>The absolute http(s) URL; <c>${VAR}</c> placeholders are kept unexpanded.</summary>
    public required string Url { get; init; }

    /// <summary>The body's shape (default <see cref="AlertFormat.Json"/>).</summary>
    public AlertFormat Format { get; init; } = AlertFormat.Json;

    /// <summary>The Telegram chat (<c>chat_id:</c>; required with <see cref="AlertFormat.Telegram"/>); may hold <c>${VAR}</c>.</summary>
    public string? ChatId { get; init; }

    /// <summary>Extra request headers (<c>headers:</c>); values may hold <c>${VAR}</c> and are never logged.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = NoHeaders;

    /// <summary>The shared empty header map (so that sinks without headers compare equal).</summary>
    internal static IReadOnlyDictionary<string, string> NoHeaders { get; } = new Dictionary<string, string>();
}

/// <summary>Runs a program for each incident notice (argv, no shell).</summary>
public sealed record CommandAlertSink : AlertSink
{
    /// <summary>The program and its arguments.</summary>
    public required IReadOnlyList<string> Argv { get; init; }
}

/// <summary>The body a webhook sink sends.</summary>
public enum AlertFormat
{
    /// <summary>Vigil's own JSON incident object.</summary>
    Json,

    /// <summary>A Slack incoming-webhook message.</summary>
    Slack,

    /// <summary>A Telegram bot <c>sendMessage</c> body.</summary>
    Telegram,
}
