namespace Vigil.Storage.Sqlite.Tests;

/// <summary>A database file in a directory of its own, deleted with everything SQLite put beside it.</summary>
internal sealed class TempDatabase
{
    public TempDatabase()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vigil-store-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, "ledger.db");
    }

    public string Directory { get; }

    public string Path { get; }

    public void Delete()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold the file for a moment; the temp directory is reclaimed anyway.
        }
    }
}
