namespace Vigil.Storage.Sqlite.Tests;

/// <summary>Finds files of the repository the tests were built from.</summary>
internal static class SourceTree
{
    public static string Root { get; } = FindRoot();

    public static string MigrationsDirectory => Path.Combine(Root, "src", "Vigil.Storage.Sqlite", "Migrations");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the tests must run from a build inside the repository");
    }
}
