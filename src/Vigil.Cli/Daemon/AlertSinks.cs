using Vigil.Alerts;
using Vigil.Configuration;

namespace Vigil.Cli.Daemon;

/// <summary>Turns the config's <c>alerts:</c> into the engine's sinks (the log sink is the engine's own).</summary>
internal static class AlertSinks
{
    public static IReadOnlyList<IAlertSink> From(VigilConfig config, HttpClient client) =>
        [.. config.Alerts.Select(sink => sink switch
        {
            WebhookAlertSink webhook => (IAlertSink)new WebhookSink(
                client,
                webhook.Url,
                webhook.Format switch
                {
                    AlertFormat.Slack => WebhookFormat.Slack,
                    AlertFormat.Telegram => WebhookFormat.Telegram,
                    _ => WebhookFormat.Json,
                },
                webhook.ChatId,
                [.. webhook.Headers]),
            CommandAlertSink command => new CommandSink(command.Argv),
            _ => throw new InvalidOperationException($"unknown alert sink {sink.GetType().Name}"),
        })];
}
