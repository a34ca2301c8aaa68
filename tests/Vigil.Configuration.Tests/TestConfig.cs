namespace Vigil.Configuration.Tests;

/// <summary>Loads YAML text as <c>vigil.yaml</c> on a fixed host, so results do not depend on the machine.</summary>
internal static class TestConfig
{
    public const string File = "vigil.yaml";

    public static readonly HostDefaults Host = new("test-host", "Europe/Berlin");

    public static ConfigLoadResult Parse(string yaml) => ConfigLoader.Parse(yaml, File, Host);

    public static VigilConfig Valid(string yaml)
    {
        var result = Parse(yaml);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Config;
    }

    public static string[] Errors(string yaml)
    {
        var result = Parse(yaml);
        Assert.False(result.Succeeded);
        Assert.Null(result.Config);
        return [.. result.Errors.Select(e => e.ToString())];
    }

    /// <summary>The repository root (where Vigil.slnx is), found from the test assembly's folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Vigil.slnx not found above the test assembly");
    }
}
