using System.Text.Json;
using Vigil.Scheduling;

namespace Vigil.Incidents;

/// <summary>
/// The incident object of the JSON contract (CLI <c>--json</c>, alert bodies, the API):
/// <c>id</c>, <c>job</c>, <c>node</c>, <c>kind</c>, <c>state</c>, <c>count</c>, <c>first_at</c>,
/// <c>last_at</c>, <c>acknowledged_at</c>, <c>resolved_at</c>, <c>detail</c>, <c>resolution</c>, <c>run_id</c>.
/// </summary>
public static class IncidentJson
{
    /// <summary>Writes <paramref name="incident"/> as one JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, IncidentRecord incident)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(incident);
        writer.WriteStartObject();
        writer.WriteNumber("id", incident.Id);
        WriteOptional(writer, "job", incident.Job);
        WriteOptional(writer, "node", incident.Node);
        writer.WriteString("kind", incident.Kind.Name());
        writer.WriteString("state", incident.State.Name());
        writer.WriteNumber("count", incident.Count);
        writer.WriteString("first_at", Iso.Format(incident.FirstAt));
        writer.WriteString("last_at", Iso.Format(incident.LastAt));
        WriteOptional(writer, "acknowledged_at", incident.AcknowledgedAt is { } a ? Iso.Format(a) : null);
        WriteOptional(writer, "resolved_at", incident.ResolvedAt is { } r ? Iso.Format(r) : null);
        writer.WriteString("detail", incident.Detail);
        WriteOptional(writer, "resolution", incident.Resolution);
        if (incident.RunId is { } run)
        {
            writer.WriteNumber("run_id", run);
        }
        else
        {
            writer.WriteNull("run_id");
        }

        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
