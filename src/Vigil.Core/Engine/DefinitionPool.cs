using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Engine;

/// <summary>
/// Shares the parts that many job definitions have in common (policies, handler actions, schedule
/// texts and zones, parsed schedules), so a node with a million jobs keeps one copy of each.
/// </summary>
/// <remarks>
/// <para>Everything shared is immutable. Sharing goes by the records' own value equality, after the
/// lists inside them were shared by content, so two parts are shared only if they are equal in every
/// field, including fields added later (a list-typed field added later compares by reference, which
/// only means less sharing, never a wrong one). <see cref="JobCodec"/> takes each part from the pool
/// as it reads it (<see cref="IDefinitionParts"/>): a part seen before costs no copy, not even a
/// string for its text.</para>
/// <para>A parsed schedule is shared between jobs with the same text and zone, except <c>every</c>
/// grids, whose anchor (the job's creation by default) is part of the key.</para>
/// <para>Definitions that differ only in their name (a fleet of jobs created from one template)
/// are decoded once: <see cref="Decode"/> keys the text after the leading <c>name</c> property,
/// which is where <see cref="JobCodec"/> writes it, and hands out the shared definition with the
/// job's own name. At most <see cref="MaxTemplates"/> texts are kept, so a million distinct
/// definitions cost one hash each, not a second copy of every text. Likewise at most
/// <see cref="MaxPolicies"/> distinct policies are kept: a million jobs with a million different
/// timeouts would otherwise fill a table as big as the jobs' own, only to find nothing to share.</para>
/// <para>Not thread-safe, in two halves: <see cref="Decode"/> (and the parts it takes) and
/// <see cref="ScheduleOf"/> share no state, so one thread may decode while another parses
/// schedules, as the engine's loader does; each half is used by one thread at a time.</para>
/// </remarks>
internal sealed class DefinitionPool : IDefinitionParts
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _stringsBySpan;
    private readonly Dictionary<IReadOnlyList<string>, IReadOnlyList<string>> _nameLists = new(ListContent<string>.Instance);
    private readonly Dictionary<IReadOnlyList<RunState>, IReadOnlyList<RunState>> _stateLists = new(ListContent<RunState>.Instance);
    private readonly Dictionary<RetryPolicy, RetryPolicy> _retries = [];
    private readonly Dictionary<ExpectPolicy, ExpectPolicy> _expects = [];
    private readonly Dictionary<JobPolicies, JobPolicies> _policies = [];
    private readonly Dictionary<HandlerAction, HandlerAction> _handlers = [];
    private readonly Dictionary<(string Text, string Zone), Schedule> _schedules = [];
    private readonly Dictionary<(string Text, string Zone, DateTimeOffset Anchor), Schedule> _grids = [];

    /// <summary>The most definition texts (without their names) kept to recognize repeats.</summary>
    internal const int MaxTemplates = 4096;

    /// <summary>The most distinct policies kept to share: past them, new policies are shared only with those kept.</summary>
    internal const int MaxPolicies = 65536;

    private readonly Dictionary<ulong, List<(byte[] Text, JobDefinition Definition)>> _templates = [];
    private int _templateCount;

    public DefinitionPool()
    {
        _stringsBySpan = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The number of distinct parsed schedules held.</summary>
    public int ScheduleCount => _schedules.Count + _grids.Count;

    /// <summary>Decodes a stored definition (UTF-8 JSON), its common parts shared with the definitions decoded before.</summary>
    /// <param name="utf8">The definition.</param>
    /// <param name="rowName">The job's name as the store keys it: the definition's name is this string when equal to it.</param>
    /// <exception cref="FormatException">The text is not a definition.</exception>
    /// <exception cref="System.Text.Json.JsonException">The text is not JSON.</exception>
    public JobDefinition Decode(ReadOnlySpan<byte> utf8, string? rowName = null)
    {
        if (!TrySplitName(utf8, rowName, out var name, out var restStart))
        {
            return JobCodec.Deserialize(utf8, this, rowName);
        }

        var rest = utf8[restStart..];
        var hash = DefinitionHash.Of(rest);
        _templates.TryGetValue(hash, out var bucket);
        if (bucket is not null)
        {
            foreach (var (bytes, definition) in bucket)
            {
                if (rest.SequenceEqual(bytes))
                {
                    return definition with { Name = name };
                }
            }
        }

        var decoded = JobCodec.Deserialize(utf8, this, name);
        if (_templateCount < MaxTemplates)
        {
            if (bucket is null)
            {
                bucket = [];
                _templates[hash] = bucket;
            }

            bucket.Add((rest.ToArray(), decoded));
            _templateCount++;
        }

        return decoded;
    }

    /// <summary>The leading <c>"name": "..."</c> property's value and where the rest of the text starts.</summary>
    private static bool TrySplitName(ReadOnlySpan<byte> utf8, string? rowName, out string name, out int restStart)
    {
        name = string.Empty;
        restStart = 0;
        var reader = new System.Text.Json.Utf8JsonReader(utf8);
        try
        {
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject
                || !reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.PropertyName || !reader.ValueTextEquals("name"u8)
                || !reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.String)
            {
                return false;
            }

            name = rowName is not null && reader.ValueTextEquals(rowName) ? rowName : reader.GetString()!;
            restStart = (int)reader.BytesConsumed;
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>The parsed schedule of <paramref name="definition"/>, shared with equal ones.</summary>
    /// <exception cref="FormatException">The schedule does not parse.</exception>
    /// <exception cref="ArgumentException">The time zone is unknown.</exception>
    public Schedule ScheduleOf(JobDefinition definition, DateTimeOffset createdAt)
    {
        var key = (definition.Schedule, definition.TimeZone);
        if (_schedules.TryGetValue(key, out var shared))
        {
            return shared;
        }

        // An every-grid without an anchor is anchored at the job's creation, on a whole second.
        var anchor = definition.Anchor ?? createdAt.AddTicks(-(createdAt.UtcTicks % TimeSpan.TicksPerSecond));
        if (_grids.TryGetValue((key.Schedule, key.TimeZone, anchor), out var grid))
        {
            return grid;
        }

        var schedule = Schedule.Parse(definition.Schedule, TimeZones.Find(definition.TimeZone), anchor);
        if (schedule.Kind == ScheduleKind.Every)
        {
            _grids[(key.Schedule, key.TimeZone, anchor)] = schedule;
        }
        else
        {
            _schedules[key] = schedule;
        }

        return schedule;
    }

    string IDefinitionParts.Text(ReadOnlySpan<char> value)
    {
        if (_stringsBySpan.TryGetValue(value, out var shared))
        {
            return shared;
        }

        var text = value.ToString();
        _strings[text] = text;
        return text;
    }

    IReadOnlyList<string> IDefinitionParts.Names(IReadOnlyList<string> names) => InternList(_nameLists, names);

    IReadOnlyList<RunState> IDefinitionParts.States(IReadOnlyList<RunState> states) => InternList(_stateLists, states);

    RetryPolicy IDefinitionParts.Retry(RetryPolicy retry) => Intern(_retries, retry);

    ExpectPolicy IDefinitionParts.Expect(ExpectPolicy expect) => Intern(_expects, expect);

    JobPolicies IDefinitionParts.Policies(JobPolicies policies)
    {
        if (_policies.TryGetValue(policies, out var shared))
        {
            return shared;
        }

        if (_policies.Count < MaxPolicies)
        {
            _policies[policies] = policies;
        }

        return policies;
    }

    HandlerAction IDefinitionParts.Handler(HandlerAction handler) => Intern(_handlers, handler);

    private static T Intern<T>(Dictionary<T, T> pool, T value)
        where T : notnull
    {
        if (pool.TryGetValue(value, out var shared))
        {
            return shared;
        }

        pool[value] = value;
        return value;
    }

    private static IReadOnlyList<T> InternList<T>(Dictionary<IReadOnlyList<T>, IReadOnlyList<T>> pool, IReadOnlyList<T> list) =>
        list.Count == 0 ? [] : Intern(pool, list);

    /// <summary>Lists compared by their items (ordinal for strings), in order.</summary>
    private sealed class ListContent<T> : IEqualityComparer<IReadOnlyList<T>>
    {
        public static readonly ListContent<T> Instance = new();

        public bool Equals(IReadOnlyList<T>? x, IReadOnlyList<T>? y)
        {
            if (ReferenceEquals(x, y))
            {
                return true;
            }

            if (x is null || y is null || x.Count != y.Count)
            {
                return false;
            }

            for (var i = 0; i < x.Count; i++)
            {
                if (!EqualityComparer<T>.Default.Equals(x[i], y[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public int GetHashCode(IReadOnlyList<T> obj)
        {
            var hash = new HashCode();
            foreach (var item in obj)
            {
                hash.Add(item);
            }

            return hash.ToHashCode();
        }
    }
}
