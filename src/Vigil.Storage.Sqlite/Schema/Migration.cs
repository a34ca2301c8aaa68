using System.Globalization;
using System.Reflection;

namespace Vigil.Storage.Sqlite.Schema;

/// <summary>One shipped schema file, <c>Migrations/NNNN_name.sql</c>, embedded in the assembly.</summary>
internal sealed record Migration(int Version, string Name, string Sql)
{
    private const string ResourcePrefix = "Vigil.Storage.Sqlite.Migrations.";

    /// <summary>Every shipped migration, by version; versions are unique and increasing.</summary>
    /// <remarks>
    /// Versions may have gaps: migrations developed side by side take their numbers in advance, and
    /// a build may ship a later one before an earlier one. The migrator applies each version the
    /// database has not recorded, so the earlier one is applied when it ships.
    /// </remarks>
    public static IReadOnlyList<Migration> Shipped { get; } = LoadShipped();

    /// <summary>The schema version this build writes.</summary>
    public static int Latest => Shipped[^1].Version;

    private static List<Migration> LoadShipped()
    {
        var assembly = typeof(Migration).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Load(assembly, n))
            .OrderBy(m => m.Version)
            .ToList();
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"two shipped migrations have version {migrations[i].Version}: {migrations[i - 1].Name} and {migrations[i].Name}");
            }
        }

        return migrations.Count > 0 ? migrations : throw new InvalidOperationException("no migrations are embedded in the assembly");
    }

    private static Migration Load(Assembly assembly, string resource)
    {
        var name = resource[ResourcePrefix.Length..];
        var digits = name.IndexOf('_', StringComparison.Ordinal);
        if (digits <= 0 || !int.TryParse(name.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException($"migration {name} is not named NNNN_name.sql");
        }

        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new Migration(version, name, reader.ReadToEnd());
    }
}
