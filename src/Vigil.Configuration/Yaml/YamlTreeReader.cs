using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Vigil.Configuration.Yaml;

/// <summary>
/// Builds a <see cref="YamlNode"/> tree from YamlDotNet's parser events, reporting duplicate keys,
/// non-scalar keys, unknown aliases and syntax errors with their positions.
/// </summary>
internal sealed class YamlTreeReader
{
    private readonly IParser _parser;
    private readonly ErrorList _errors;
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);

    private YamlTreeReader(IParser parser, ErrorList errors)
    {
        _parser = parser;
        _errors = errors;
    }

    /// <summary>
    /// Reads the single document of <paramref name="text"/>. Returns null for an empty file (or a
    /// document holding only null) and when the syntax is broken (the error is then in <paramref name="errors"/>).
    /// </summary>
    public static YamlNode? Read(string text, ErrorList errors)
    {
        var reader = new YamlTreeReader(new Parser(new StringReader(text)), errors);
        try
        {
            return reader.ReadStream();
        }
        catch (YamlException e)
        {
            // A cron expression written unquoted starts with *, which YAML reads as an alias.
            var hint = e.Message.Contains("anchor or alias", StringComparison.Ordinal)
                ? " (quote a value that starts with * or &, e.g. schedule: \"* * * * *\")"
                : string.Empty;
            errors.Add(new Position((int)e.Start.Line, (int)e.Start.Column), $"invalid YAML: {OneLine(e.Message)}{hint}");
            return null;
        }
    }

    private YamlNode? ReadStream()
    {
        _parser.Consume<StreamStart>();
        YamlNode? root = null;
        var documents = 0;
        while (_parser.TryConsume<DocumentStart>(out var start))
        {
            documents++;
            if (documents == 2)
            {
                _errors.Add(At(start), "the file holds more than one YAML document (remove the second ---)");
            }

            var node = ReadNode(depth: 0, isJobs: false);
            _parser.Consume<DocumentEnd>();
            if (documents == 1)
            {
                root = node;
            }
        }

        _parser.Consume<StreamEnd>();
        return root is YamlScalar { IsNull: true } ? null : root;
    }

    /// <param name="depth">0 for the document's root.</param>
    /// <param name="isJobs">The node is the top-level <c>jobs:</c> mapping, whose duplicate keys are duplicate job names.</param>
    private YamlNode ReadNode(int depth, bool isJobs)
    {
        if (_parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (_anchors.TryGetValue(alias.Value.Value, out var target))
            {
                return target;
            }

            _errors.Add(At(alias), $"unknown alias *{alias.Value.Value} (define &{alias.Value.Value} before using it)");
            return new YamlScalar(At(alias), string.Empty, plain: true);
        }

        if (_parser.TryConsume<Scalar>(out var scalar))
        {
            return Remember(scalar, new YamlScalar(At(scalar), scalar.Value, scalar.Style == ScalarStyle.Plain));
        }

        if (_parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var items = new List<YamlNode>();
            while (!_parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(depth + 1, isJobs: false));
            }

            return Remember(sequenceStart, new YamlSequence(At(sequenceStart), items));
        }

        var mappingStart = _parser.Consume<MappingStart>();
        var entries = new List<YamlEntry>();
        var seen = new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            var keyNode = ReadNode(depth + 1, isJobs: false);
            var value = ReadNode(depth + 1, isJobs: depth == 0 && keyNode is YamlScalar { Value: "jobs" });
            if (keyNode is not YamlScalar key || key.IsNull)
            {
                _errors.Add(keyNode.Start, $"a key must be a plain name, not {keyNode.Describe()}");
                continue;
            }

            if (seen.TryGetValue(key.Value, out var first))
            {
                _errors.Add(key.Start, isJobs
                    ? $"duplicate job \"{key.Value}\" (first at line {first.Start.Line})"
                    : $"duplicate key \"{key.Value}\" (first at line {first.Start.Line})");
                continue;
            }

            seen.Add(key.Value, key);
            entries.Add(new YamlEntry(key, value));
        }

        return Remember(mappingStart, new YamlMapping(At(mappingStart), entries));
    }

    private YamlNode Remember(NodeEvent nodeEvent, YamlNode node)
    {
        if (!nodeEvent.Anchor.IsEmpty)
        {
            _anchors[nodeEvent.Anchor.Value] = node;
        }

        return node;
    }

    private static Position At(ParsingEvent e) => new((int)e.Start.Line, (int)e.Start.Column);

    private static string OneLine(string message)
    {
        var trimmed = message.Trim().ReplaceLineEndings(" ");
        return trimmed.Length > 0 && char.IsUpper(trimmed[0]) && !(trimmed.Length > 1 && char.IsUpper(trimmed[1]))
            ? char.ToLowerInvariant(trimmed[0]) + trimmed[1..].TrimEnd('.')
            : trimmed.TrimEnd('.');
    }
}
