using System.Text.Json;

namespace Vigil.Cli.Tests.Operating;

/// <summary>The JSON field names PRODUCT.md fixes for runs and jobs.</summary>
public static class Contract
{
    public static readonly string[] RunFields = ["id", "job", "slot", "attempt", "state", "reason", "trigger", "started_at", "finished_at", "exit_code", "session", "node"];

    public static readonly string[] JobFields = ["name", "schedule", "timezone", "enabled", "next_slot", "last_run"];

    /// <summary>Asserts that <paramref name="element"/> is an object holding every name in <paramref name="names"/>, spelled exactly.</summary>
    public static void AssertHasFields(JsonElement element, IEnumerable<string> names)
    {
        Assert.Equal(JsonValueKind.Object, element.ValueKind);
        var present = element.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in names)
        {
            Assert.True(present.Contains(name), $"missing \"{name}\" in {element}");
        }
    }

    public static JsonElement Job(JsonElement jobs, string name) =>
        jobs.EnumerateArray().Single(j => j.GetProperty("name").GetString() == name);
}
