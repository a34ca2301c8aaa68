using Vigil.Configuration.Yaml;

namespace Vigil.Configuration.Reading;

/// <summary>Reads the <c>alerts:</c> list: each item is a <c>webhook:</c> (with an optional <c>format:</c>) or a <c>command:</c>.</summary>
internal static class AlertReader
{
    private static readonly IReadOnlyList<string> Keys = ["webhook", "format", "chat_id", "headers", "command"];

    private static readonly (string, AlertFormat)[] Formats =
        [("json", AlertFormat.Json), ("slack", AlertFormat.Slack), ("telegram", AlertFormat.Telegram)];

    public static IReadOnlyList<AlertSink> Read(YamlNode node, NodeReader r)
    {
        if (node is YamlScalar { IsNull: true } || r.Sequence(node, "alerts") is not { } list)
        {
            return [];
        }

        var sinks = new List<AlertSink>();
        foreach (var item in list.Items)
        {
            if (ReadSink(item, r) is { } sink)
            {
                sinks.Add(sink);
            }
        }

        return sinks;
    }

    private static AlertSink? ReadSink(YamlNode node, NodeReader r)
    {
        if (r.Mapping(node, "alerts") is not { } map)
        {
            return null;
        }

        YamlEntry? kind = null;
        foreach (var entry in map.Entries)
        {
            if (!Keys.Contains(entry.Key.Value))
            {
                r.UnknownKey(entry.Key, Keys, "in alert");
            }
            else if (entry.Key.Value is "webhook" or "command")
            {
                if (kind is null)
                {
                    kind = entry;
                }
                else
                {
                    r.Errors.Add(entry.Key, $"alert has both {kind.Key.Value}: and {entry.Key.Value}: (use one item for each)");
                }
            }
        }

        if (kind is null)
        {
            r.Errors.Add(map, "alert needs webhook: or command:");
            return null;
        }

        var format = map.Find("format");
        var chatId = map.Find("chat_id");
        var headers = map.Find("headers");
        if (kind.Key.Value == "command")
        {
            foreach (var webhookOnly in new[] { format, chatId, headers })
            {
                if (webhookOnly is not null)
                {
                    r.Errors.Add(webhookOnly.Key, $"alerts.{webhookOnly.Key.Value}: only applies to webhook:");
                }
            }

            return ReadArgv(kind.Value, r) is { } argv ? new CommandAlertSink { Argv = argv } : null;
        }

        var sinkFormat = AlertFormat.Json;
        if (format is not null && !r.TryChoice(format.Value, "alerts.format", Formats, out sinkFormat))
        {
            return null;
        }

        string? chat = null;
        if (chatId is not null && !Templates.TryTemplate(chatId.Value, "alerts.chat_id", r, out chat))
        {
            return null;
        }

        if (sinkFormat == AlertFormat.Telegram && chat is null)
        {
            r.Errors.Add(map, "alerts: format: telegram needs chat_id: (the chat the bot sends to)");
            return null;
        }

        if (sinkFormat != AlertFormat.Telegram && chatId is not null)
        {
            r.Errors.Add(chatId.Key, "alerts.chat_id: only applies to format: telegram");
            return null;
        }

        var headerValues = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (headers is not null && !ReadHeaders(headers.Value, headerValues, r))
        {
            return null;
        }

        return Templates.TryHttpUrl(kind.Value, "alerts.webhook", r, out var url)
            ? new WebhookAlertSink { Url = url!, Format = sinkFormat, ChatId = chat, Headers = headerValues.Count == 0 ? WebhookAlertSink.NoHeaders : headerValues }
            : null;
    }

    private static bool ReadHeaders(YamlNode node, Dictionary<string, string> headers, NodeReader r)
    {
        if (r.Mapping(node, "alerts.headers") is not { } map)
        {
            return false;
        }

        foreach (var (key, value) in map.Entries)
        {
            if (key.Value.Length == 0 || key.Value.Any(c => c <= ' ' || c == ':' || c > '~'))
            {
                r.Errors.Add(key, $"alerts.headers: \"{key.Value}\" is not a valid header name");
                return false;
            }

            if (!headers.TryAdd(key.Value, string.Empty))
            {
                r.Errors.Add(key, $"alerts.headers: duplicate header \"{key.Value}\" (header names ignore case)");
                return false;
            }

            if (!Templates.TryTemplate(value, $"alerts.headers.{key.Value}", r, out var text))
            {
                return false;
            }

            headers[key.Value] = text;
        }

        return true;
    }

    private static List<string>? ReadArgv(YamlNode node, NodeReader r)
    {
        if (r.Sequence(node, "alerts.command") is not { } list)
        {
            return null;
        }

        var argv = new List<string>();
        foreach (var item in list.Items)
        {
            if (!r.TryString(item, "alerts.command", out var arg))
            {
                return null;
            }

            argv.Add(arg);
        }

        if (argv.Count == 0 || argv[0].Trim().Length == 0)
        {
            r.Error(node, "alerts.command", "the command is empty");
            return null;
        }

        return argv;
    }
}
