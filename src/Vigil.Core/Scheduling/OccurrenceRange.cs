namespace Vigil.Scheduling;

/// <summary>The occurrences of a schedule in a half-open range; enumerates without allocating.</summary>
public readonly struct OccurrenceRange : IEnumerable<DateTimeOffset>
{
    private readonly Schedule _schedule;
    private readonly long _fromTicks;
    private readonly long _toTicks;

    internal OccurrenceRange(Schedule schedule, long fromTicks, long toTicks)
    {
        _schedule = schedule;
        _fromTicks = fromTicks;
        _toTicks = toTicks;
    }

    /// <summary>Returns the struct enumerator.</summary>
    public Enumerator GetEnumerator() => new(_schedule, _fromTicks, _toTicks);

    IEnumerator<DateTimeOffset> IEnumerable<DateTimeOffset>.GetEnumerator() => GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Walks the occurrences in order.</summary>
    public struct Enumerator : IEnumerator<DateTimeOffset>
    {
        private readonly Schedule _schedule;
        private readonly long _toTicks;
        private long _cursor;

        internal Enumerator(Schedule schedule, long fromTicks, long toTicks)
        {
            _schedule = schedule;
            _toTicks = toTicks;
            // "from" is inclusive: start the strictly-after search one tick earlier.
            _cursor = fromTicks - 1;
            Current = default;
        }

        /// <inheritdoc />
        public DateTimeOffset Current { get; private set; }

        readonly object System.Collections.IEnumerator.Current => Current;

        /// <inheritdoc />
        public bool MoveNext()
        {
            if (_cursor >= _toTicks)
            {
                return false;
            }

            var next = _schedule.NextTicks(_cursor);
            if (next < 0 || next >= _toTicks)
            {
                _cursor = _toTicks;
                return false;
            }

            _cursor = next;
            Current = new DateTimeOffset(next, TimeSpan.Zero);
            return true;
        }

        /// <inheritdoc />
        public void Reset() => throw new NotSupportedException();

        /// <inheritdoc />
        public readonly void Dispose()
        {
        }
    }
}
