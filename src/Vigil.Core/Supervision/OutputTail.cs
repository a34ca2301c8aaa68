using System.Text;

namespace Vigil.Supervision;

/// <summary>
/// The end of an action's output: the last <see cref="Capacity"/> bytes, and when output last arrived.
/// Thread-safe.
/// </summary>
/// <remarks>
/// Bytes are kept, not text, so a chunk boundary inside a UTF-8 sequence costs nothing; invalid
/// UTF-8 becomes U+FFFD only when the tail is read. The oldest output is dropped first, because the
/// end of a log is where a failure explains itself.
/// </remarks>
internal sealed class OutputTail
{
    /// <summary>The default cap: 64 KiB.</summary>
    public const int DefaultCapacity = 64 * 1024;

    private readonly int _capacity;
    private readonly TimeProvider _timeProvider;
    private readonly OutputMirror? _mirror;
    private readonly Lock _lock = new();
    private long _total;
    private long _lastOutputTicks;

    // Grown on demand up to the capacity: most runs write little or nothing, and a full ring per
    // run (64 KiB) was the largest allocation on the start path of a no-op run.
    private byte[] _ring = [];

    /// <summary>Creates an empty tail; <see cref="LastOutputTicks"/> starts at the current time.</summary>
    /// <param name="capacity">The most bytes kept.</param>
    /// <param name="timeProvider">The clock for <see cref="LastOutputTicks"/>.</param>
    /// <param name="mirror">Receives every chunk as it is appended (the run shim's output file), or null.</param>
    public OutputTail(int capacity, TimeProvider timeProvider, OutputMirror? mirror = null)
    {
        _mirror = mirror;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _capacity = capacity;
        _timeProvider = timeProvider;
        _lastOutputTicks = timeProvider.GetUtcNow().UtcTicks;
    }

    /// <summary>The most bytes kept.</summary>
    public int Capacity => _capacity;

    /// <summary>Every byte ever appended, kept or not.</summary>
    public long TotalBytes
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    /// <summary>When output last arrived (UTC ticks), or when the tail was created.</summary>
    public long LastOutputTicks => Interlocked.Read(ref _lastOutputTicks);

    /// <summary>Appends a chunk of output and records the time.</summary>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        Interlocked.Exchange(ref _lastOutputTicks, _timeProvider.GetUtcNow().UtcTicks);
        lock (_lock)
        {
            if (chunk.Length > _capacity)
            {
                // Only the chunk's last Capacity bytes survive; count the rest as written and dropped.
                _total += chunk.Length - _capacity;
                chunk = chunk[^_capacity..];
            }

            Reserve((int)Math.Min(_total + chunk.Length, _capacity));
            var position = (int)(_total % _capacity);
            var first = Math.Min(chunk.Length, _capacity - position);
            chunk[..first].CopyTo(_ring.AsSpan(position));
            chunk[first..].CopyTo(_ring);
            _total += chunk.Length;
            _mirror?.Invoke(chunk);
        }
    }

    /// <summary>The kept output as bytes, oldest first.</summary>
    public byte[] ToArray()
    {
        lock (_lock)
        {
            if (_total <= _capacity)
            {
                return _ring.AsSpan(0, (int)_total).ToArray();
            }

            var position = (int)(_total % _capacity);
            var bytes = new byte[_capacity];
            _ring.AsSpan(position).CopyTo(bytes);
            _ring.AsSpan(0, position).CopyTo(bytes.AsSpan(_capacity - position));
            return bytes;
        }
    }

    /// <summary>
    /// Grows the buffer to hold at least <paramref name="needed"/> bytes. Until the output first
    /// exceeds the capacity it sits at the start of the buffer, exactly where the ring keeps it, so
    /// growing is a copy and the ring arithmetic (modulo the capacity) holds once it is full size.
    /// </summary>
    private void Reserve(int needed)
    {
        if (needed <= _ring.Length)
        {
            return;
        }

        var size = Math.Min(_capacity, Math.Max(needed, Math.Max(256, _ring.Length * 2)));
        var grown = new byte[size];
        _ring.AsSpan(0, (int)Math.Min(_total, _ring.Length)).CopyTo(grown);
        _ring = grown;
    }

    /// <summary>The kept output as text.</summary>
    public override string ToString()
    {
        byte[] bytes;
        lock (_lock)
        {
            if (_total <= _capacity)
            {
                return _total == 0 ? string.Empty : Encoding.UTF8.GetString(_ring, 0, (int)_total);
            }

            var position = (int)(_total % _capacity);
            bytes = new byte[_capacity];
            _ring.AsSpan(position).CopyTo(bytes);
            _ring.AsSpan(0, position).CopyTo(bytes.AsSpan(_capacity - position));
        }

        // The cut may fall inside a character: drop its continuation bytes rather than show U+FFFD.
        var skip = 0;
        while (skip < 3 && skip < bytes.Length && (bytes[skip] & 0xC0) == 0x80)
        {
            skip++;
        }

        return Encoding.UTF8.GetString(bytes, skip, bytes.Length - skip);
    }
}

/// <summary>Receives a chunk of output as an <see cref="OutputTail"/> appends it (under the tail's lock, in order).</summary>
internal delegate void OutputMirror(ReadOnlySpan<byte> chunk);
