using Vigil.Configuration.Reading;
using Vigil.Configuration.Yaml;

namespace Vigil.Configuration;

/// <summary>
/// Loads <c>vigil.yaml</c>. Every problem is reported, not just the first, each as one line
/// <c>FILE:LINE:COL: reason</c> (see <see cref="ConfigError"/>), sorted by position.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The file name commands look for when no <c>--config</c> is given.</summary>
    public const string DefaultFileName = "vigil.yaml";

    /// <summary>Reads and validates the config file at <paramref name="path"/>.</summary>
    /// <param name="path">The file; errors name it exactly as given here.</param>
    /// <returns>The config, or the errors. A missing file is one error; an empty file is a config with no jobs.</returns>
    public static ConfigLoadResult Load(string path) => Load(path, HostDefaults.Current());

    /// <summary>
    /// Validates <paramref name="yaml"/> as if it were the content of <paramref name="path"/>
    /// (relative paths resolve against that file's directory; the file itself is not read).
    /// </summary>
    public static ConfigLoadResult Parse(string yaml, string path) => Parse(yaml, path, HostDefaults.Current());

    internal static ConfigLoadResult Load(string path, HostDefaults host)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return FileError(path, "no such file");
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            return FileError(path, "is a directory, not a config file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FileError(path, $"cannot be read: {e.Message}");
        }

        return Parse(text, path, host);
    }

    internal static ConfigLoadResult Parse(string yaml, string path, HostDefaults host)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var errors = new ErrorList(path);
        var root = YamlTreeReader.Read(yaml, errors);
        var config = ConfigReader.Read(root, Path.GetFullPath(path), host, errors);
        return config is not null && errors.Count == 0
            ? ConfigLoadResult.Success(config)
            : ConfigLoadResult.Failure(errors.Sorted());
    }

    private static ConfigLoadResult FileError(string path, string reason) =>
        ConfigLoadResult.Failure([new ConfigError { File = path, Reason = reason }]);
}
