using System.Globalization;

namespace Vigil.EndToEnd.Tests;

/// <summary>
/// A temporary directory holding a <c>vigil.yaml</c>, the scripts its jobs run, the side-effect log
/// they append to, and the data directory with the ledger.
/// </summary>
internal sealed class Workspace : IDisposable
{
    public Workspace()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vigil-e2e-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Ledger = new LedgerFile(System.IO.Path.Combine(Directory, "data", "vigil.db"));
    }

    public string Directory { get; }

    public string Config => File("vigil.yaml");

    /// <summary>The side-effect log the jobs' commands append to.</summary>
    public string Effects => File("effects.log");

    public LedgerFile Ledger { get; }

    public string File(string name) => System.IO.Path.Combine(Directory, name);

    public void Write(string name, string text) => System.IO.File.WriteAllText(File(name), text.ReplaceLineEndings("\n"));

    /// <summary>The side-effect log's lines, split into fields.</summary>
    public IReadOnlyList<string[]> EffectLines()
    {
        if (!System.IO.File.Exists(Effects))
        {
            return [];
        }

        return [.. System.IO.File.ReadAllLines(Effects).Where(l => l.Length > 0).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
    }

    /// <summary>The pids written in field <paramref name="field"/> of the side-effect log's lines.</summary>
    public IReadOnlyList<int> LoggedPids(int field) =>
        [.. EffectLines().Where(l => l.Length > field).Select(l => int.Parse(l[field], CultureInfo.InvariantCulture)).Distinct()];

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless; the verdict matters more.
        }
    }
}
