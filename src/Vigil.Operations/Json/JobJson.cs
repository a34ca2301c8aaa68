using System.Text.Json;
using Vigil.Jobs;

namespace Vigil.Operations.Json;

/// <summary>
/// A job as JSON. The contract's names come first (<c>name</c>, <c>schedule</c>, <c>timezone</c>,
/// <c>enabled</c>, <c>next_slot</c>, <c>last_run</c>), then the flags and schedule details listings show.
/// </summary>
internal static class JobJson
{
    /// <summary>Writes the job's fields into an object the caller has started (so it can add its own).</summary>
    public static void WriteFields(Utf8JsonWriter writer, JobView job)
    {
        writer.WriteString("name", job.Name);
        RunJson.WriteString(writer, "schedule", job.Definition?.Schedule);
        RunJson.WriteString(writer, "timezone", job.Definition?.TimeZone);
        writer.WriteBoolean("enabled", job.Active);
        RunJson.WriteInstant(writer, "next_slot", job.NextSlot);
        if (job.LastRun is { } lastRun)
        {
            writer.WritePropertyName("last_run");
            RunJson.Write(writer, lastRun);
        }
        else
        {
            writer.WriteNull("last_run");
        }

        writer.WriteString("state", job.StateWord);
        writer.WriteBoolean("paused", job.Paused);
        writer.WriteBoolean("removed", job.Removed);
        writer.WriteString("source", job.Source == JobSource.Config ? "config" : "api");
        RunJson.WriteString(writer, "description", job.Schedule?.Describe());
        RunJson.WriteString(writer, "compiled", job.Schedule?.Expression);
        RunJson.WriteString(writer, "action", job.Definition?.Action.Kind);
        writer.WriteBoolean("applied", job.Pending == ConfigPending.None);
        RunJson.WriteString(writer, "config_pending", job.Pending.Name());
        writer.WriteStartArray("config_changes");
        foreach (var field in job.PendingFields)
        {
            writer.WriteStringValue(field);
        }

        writer.WriteEndArray();
        RunJson.WriteInstant(writer, "created_at", job.Stored?.CreatedAt);
        RunJson.WriteInstant(writer, "updated_at", job.Stored?.UpdatedAt);
        RunJson.WriteInstant(writer, "removed_at", job.Removed ? job.Stored?.RemovedAt : null);
        RunJson.WriteString(writer, "problem", job.Problem);
    }

    /// <summary>
    /// The job listing: one object per job with its number of unresolved incidents
    /// (<c>incidents</c>), as <c>vigil jobs list --json</c> prints it and <c>GET /api/jobs</c> answers.
    /// </summary>
    public static void WriteList(Utf8JsonWriter writer, IEnumerable<JobView> jobs, IReadOnlyDictionary<string, int> unresolvedIncidents)
    {
        writer.WriteStartArray();
        foreach (var job in jobs)
        {
            writer.WriteStartObject();
            WriteFields(writer, job);
            writer.WriteNumber("incidents", unresolvedIncidents.GetValueOrDefault(job.Name));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes one job object.</summary>
    public static void Write(Utf8JsonWriter writer, JobView job)
    {
        writer.WriteStartObject();
        WriteFields(writer, job);
        writer.WriteEndObject();
    }

    /// <summary>
    /// One job with its definition (policies merged), its next slots and its latest runs: what
    /// <c>vigil jobs show --json</c> prints and <c>GET /api/jobs/NAME</c> answers.
    /// </summary>
    public static void WriteDetail(Utf8JsonWriter writer, JobView job, IEnumerable<DateTimeOffset> nextSlots, IEnumerable<Ledger.RunRecord> runs)
    {
        writer.WriteStartObject();
        WriteFields(writer, job);
        writer.WritePropertyName("definition");
        if (job.Definition is { } definition)
        {
            System.Text.Json.Nodes.JsonNode.Parse(JobCodec.Serialize(definition))!.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteStartArray("next_slots");
        foreach (var slot in nextSlots)
        {
            writer.WriteStringValue(Scheduling.Iso.Format(slot));
        }

        writer.WriteEndArray();
        RunJson.WriteArray(writer, "runs", runs);
        writer.WriteEndObject();
    }
}
