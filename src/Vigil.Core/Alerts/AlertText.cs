using System.Globalization;
using System.Text;
using System.Text.Json;
using Vigil.Incidents;
using Vigil.Scheduling;

namespace Vigil.Alerts;

/// <summary>The words and JSON of a notice, shared by every sink.</summary>
public static class AlertText
{
    /// <summary>One line for people: <c>[vigil] OPENED timed_out nightly (incident 3, count 1): ...</c>.</summary>
    public static string Line(AlertRecord alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var incident = alert.Incident;
        var subject = incident.Job ?? "node " + (incident.Node ?? "?");
        var what = alert.Event == AlertEvent.Resolved
            ? $"{incident.Detail} — resolved: {incident.Resolution}"
            : incident.Detail;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"[vigil] {alert.Event.Name().ToUpperInvariant()} {incident.Kind.Name()} {subject} (incident {incident.Id}, count {incident.Count}, since {Iso.Format(incident.FirstAt)}): {what}");
    }

    /// <summary>Vigil's own JSON body: <c>{"event": ..., "text": ..., "incident": {...}}</c>.</summary>
    public static string Json(AlertRecord alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("event", alert.Event.Name());
            writer.WriteString("text", Line(alert));
            writer.WritePropertyName("incident");
            IncidentJson.Write(writer, alert.Incident);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A Slack incoming-webhook body: <c>{"text": ...}</c>.</summary>
    public static string Slack(AlertRecord alert) => Object(("text", Line(alert)));

    /// <summary>A Telegram Bot API <c>sendMessage</c> body: <c>{"chat_id": ..., "text": ...}</c>.</summary>
    public static string Telegram(AlertRecord alert, string chatId) => Object(("chat_id", chatId), ("text", Line(alert)));

    private static string Object(params (string Name, string Value)[] properties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
