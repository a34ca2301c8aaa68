namespace Vigil.Cli.Output;

/// <summary>
/// An aligned plain-text table: columns separated by two spaces, padded to their widest cell, the
/// last column not padded, no colours. Without headers it is a key/value list.
/// </summary>
internal sealed class TextTable
{
    private const string Gap = "  ";

    private readonly string[]? _headers;
    private readonly List<string[]> _rows = [];

    /// <summary>Creates a table with a header row (or none, for key/value lists).</summary>
    public TextTable(params string[]? headers)
    {
        _headers = headers is { Length: > 0 } ? headers : null;
    }

    /// <summary>The number of rows added.</summary>
    public int Count => _rows.Count;

    /// <summary>Adds a row; every cell is collapsed to one line so a row stays one line.</summary>
    public void Add(params string[] cells) => _rows.Add([.. cells.Select(CliText.OneLine)]);

    /// <summary>Writes the table, each line prefixed by <paramref name="indent"/>.</summary>
    public void Write(TextWriter output, string indent = "")
    {
        var all = _headers is null ? _rows : _rows.Prepend(_headers).ToList();
        if (all.Count == 0)
        {
            return;
        }

        var columns = all.Max(r => r.Length);
        var widths = new int[columns];
        foreach (var row in all)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var line = new System.Text.StringBuilder();
        foreach (var row in all)
        {
            line.Clear().Append(indent);
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(row[i]);
                if (i < row.Length - 1)
                {
                    line.Append(' ', widths[i] - row[i].Length).Append(Gap);
                }
            }

            output.WriteLine(line.ToString().TrimEnd());
        }
    }
}
