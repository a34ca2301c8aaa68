using System.Buffers;
using System.Text;
using System.Text.Json;
using Vigil.Operations.Json;
using Vigil.Scheduling;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil schedule next --batch</c>: answers one JSON line on stdin with one JSON line on stdout,
/// in input order: <c>{"next":["&lt;ISO UTC&gt;",...]}</c> or <c>{"error":"..."}</c>.
/// </summary>
/// <remarks>
/// <para>This is how scripts and differential checkers drive the engine, thousands of lines at a time,
/// so a bad line never stops the batch: it gets its own error line and the next line is read.</para>
/// <para>Output is buffered and written in large blocks; it is flushed after every line only when
/// stdin is a terminal, where a person waits for each answer. Blank input lines are skipped and get
/// no output line. "from" has no default, so an answer never depends on when the batch ran.</para>
/// </remarks>
internal sealed class ScheduleBatch : IDisposable
{
    private const int DefaultCount = 5;
    private const int FlushThreshold = 64 * 1024;

    private readonly CliContext _context;
    private readonly Dictionary<string, TimeZoneInfo> _zones = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);
    private readonly List<DateTimeOffset> _fires = new(DefaultCount);
    private readonly Utf8JsonWriter _writer;
    private byte[] _line = new byte[1024];

    /// <summary>Creates a batch over the context's stdin and stdout.</summary>
    public ScheduleBatch(CliContext context)
    {
        _context = context;
        _writer = new Utf8JsonWriter(_buffer, JsonText.WriterOptions);
    }

    /// <summary>Reads stdin to its end, answering each line; returns the exit code.</summary>
    /// <remarks>Errors on individual lines are answers, not failures: the exit code is 0 once every line is answered.</remarks>
    public int Run()
    {
        using var input = new StreamReader(_context.Input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
        while (input.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            Answer(Utf8(line));
            if (_buffer.WrittenCount >= FlushThreshold || _context.InputIsTerminal)
            {
                WriteOut();
            }
        }

        WriteOut();
        return ExitCodes.Ok;
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();

    private void Answer(ReadOnlySpan<byte> json)
    {
        _fires.Clear();
        string? error;
        try
        {
            error = CollectFires(json);
        }
        catch (Exception e)
        {
            // An engine failure on one line is that line's answer: a checker records it and the batch goes on.
            error = $"internal error ({e.GetType().Name}): {e.Message}";
        }

        _writer.Reset();
        _writer.WriteStartObject();
        if (error is null)
        {
            _writer.WriteStartArray("next");
            foreach (var fire in _fires)
            {
                _writer.WriteStringValue(Iso.Format(fire));
            }

            _writer.WriteEndArray();
        }
        else
        {
            _writer.WriteString("error", CliText.OneLine(error));
        }

        _writer.WriteEndObject();
        _writer.Flush();
        _buffer.Write("\n"u8);
    }

    /// <summary>Collects the fires a line asks for into <see cref="_fires"/>; returns why it cannot, or null.</summary>
    private string? CollectFires(ReadOnlySpan<byte> json)
    {
        if (!BatchRequest.TryParse(json, out var request, out var error))
        {
            return error;
        }

        if (!TryFindZone(request.TimeZone, out var zone, out error))
        {
            return error;
        }

        if (request.From is null)
        {
            return "\"from\" is required (an ISO-8601 instant; fires strictly after it are listed)";
        }

        if (!Iso.TryParse(request.From, zone, out var from))
        {
            return ScheduleInputs.InvalidInstant("\"from\"", request.From);
        }

        DateTimeOffset? anchor = null;
        if (request.Anchor is not null)
        {
            if (!Iso.TryParse(request.Anchor, zone, out var anchorInstant))
            {
                return ScheduleInputs.InvalidInstant("\"anchor\"", request.Anchor);
            }

            anchor = anchorInstant;
        }

        var count = request.Count ?? DefaultCount;
        if (ScheduleInputs.CheckCount(count, "\"n\"") is { } countError)
        {
            return countError;
        }

        if (!Schedule.TryParse(request.Expression, zone, out var schedule, out error, anchor))
        {
            return error;
        }

        var cursor = from;
        while (_fires.Count < count && schedule!.GetNextOccurrence(cursor) is { } next)
        {
            _fires.Add(next);
            cursor = next;
        }

        return null;
    }

    private bool TryFindZone(string? id, out TimeZoneInfo zone, out string? error)
    {
        error = null;
        if (id is null)
        {
            zone = TimeZoneInfo.Utc;
            return true;
        }

        if (_zones.TryGetValue(id, out zone!))
        {
            return true;
        }

        if (!TimeZones.TryFind(id, out zone, out error))
        {
            return false;
        }

        // Only known zones are remembered, so the cache stays as small as the zone database.
        _zones[id] = zone;
        return true;
    }

    private ReadOnlySpan<byte> Utf8(string line)
    {
        var needed = Encoding.UTF8.GetMaxByteCount(line.Length);
        if (_line.Length < needed)
        {
            _line = new byte[Math.Max(needed, _line.Length * 2)];
        }

        return _line.AsSpan(0, Encoding.UTF8.GetBytes(line, _line));
    }

    private void WriteOut()
    {
        _context.Output.Write(_buffer.WrittenSpan);
        _context.Output.Flush();
        _buffer.ResetWrittenCount();
    }
}
