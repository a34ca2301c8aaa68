using System.Text.Json;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Operations.Json;

/// <summary>
/// A run as JSON. The contract's names come first (<c>id</c>, <c>job</c>, <c>slot</c>, <c>attempt</c>,
/// <c>state</c>, <c>reason</c>, <c>trigger</c>, <c>started_at</c>, <c>finished_at</c>, <c>exit_code</c>,
/// <c>session</c>, <c>node</c>), then the ledger's other columns. Instants are ISO-8601 UTC; absent values are null.
/// </summary>
internal static class RunJson
{
    /// <summary>Writes one run object.</summary>
    public static void Write(Utf8JsonWriter writer, RunRecord run)
    {
        writer.WriteStartObject();
        WriteFields(writer, run);
        writer.WriteEndObject();
    }

    /// <summary>
    /// One run with the length of its captured output and every attempt of its slot: what
    /// <c>vigil runs show --json</c> prints and <c>GET /api/runs/ID</c> answers.
    /// </summary>
    public static void WriteDetail(Utf8JsonWriter writer, RunRecord run, IEnumerable<RunRecord> attempts, string? output)
    {
        writer.WriteStartObject();
        WriteFields(writer, run);
        writer.WriteNumber("output_chars", output?.Length ?? 0);
        WriteArray(writer, "attempts", attempts);
        writer.WriteEndObject();
    }

    /// <summary>Writes the run's fields into an object the caller has started (so it can add its own).</summary>
    public static void WriteFields(Utf8JsonWriter writer, RunRecord run)
    {
        writer.WriteNumber("id", run.Id);
        writer.WriteString("job", run.Job);
        writer.WriteString("slot", Iso.Format(run.Slot));
        writer.WriteNumber("attempt", run.Attempt);
        writer.WriteString("state", run.State.Name());
        WriteString(writer, "reason", run.Reason);
        writer.WriteString("trigger", run.Trigger.Name());
        WriteInstant(writer, "started_at", run.StartedAt);
        WriteInstant(writer, "finished_at", run.FinishedAt);
        WriteNumber(writer, "exit_code", run.ExitCode);
        WriteString(writer, "session", run.Session);
        WriteString(writer, "node", run.Node);

        WriteInstant(writer, "created_at", run.CreatedAt);
        WriteInstant(writer, "not_before", run.NotBefore);
        WriteInstant(writer, "deadline", run.Deadline);
        WriteNumber(writer, "duration_ms", run.Duration is { } d ? (long)d.TotalMilliseconds : null);
        WriteNumber(writer, "incarnation", run.IncarnationId);
        WriteNumber(writer, "adopted_by", run.AdoptedBy);
        WriteInstant(writer, "adopted_at", run.AdoptedAt);
        writer.WriteBoolean("resumed", run.Resumed);
        writer.WriteBoolean("draining", run.Draining);
        WriteString(writer, "result_status", run.ResultStatus);
        WriteString(writer, "summary", run.Summary);
        WriteNumber(writer, "tokens_in", run.TokensIn);
        WriteNumber(writer, "tokens_out", run.TokensOut);
    }

    /// <summary>Writes an array of runs under <paramref name="name"/>, or as a bare array when it is null.</summary>
    public static void WriteArray(Utf8JsonWriter writer, string? name, IEnumerable<RunRecord> runs)
    {
        if (name is null)
        {
            writer.WriteStartArray();
        }
        else
        {
            writer.WriteStartArray(name);
        }

        foreach (var run in runs)
        {
            Write(writer, run);
        }

        writer.WriteEndArray();
    }

    /// <summary>An instant as ISO-8601 UTC, or null.</summary>
    public static void WriteInstant(Utf8JsonWriter writer, string name, DateTimeOffset? instant)
    {
        if (instant is { } value)
        {
            writer.WriteString(name, Iso.Format(value));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>A string, or null.</summary>
    public static void WriteString(Utf8JsonWriter writer, string name, string? value)
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

    /// <summary>A number, or null.</summary>
    public static void WriteNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
