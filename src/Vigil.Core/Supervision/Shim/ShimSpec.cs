using System.Text.Json;

namespace Vigil.Supervision.Shim;

/// <summary><c>spec.json</c>: what the shim executes, prepared by the daemon (<see cref="CommandRunner.Prepare"/>).</summary>
internal sealed record ShimSpec
{
    public required long RunId { get; init; }

    public required PreparedCommand Command { get; init; }

    /// <summary>The output tail's cap in bytes.</summary>
    public required int OutputCapacity { get; init; }

    public byte[] ToJson() => ShimJson.Write(w =>
    {
        w.WriteNumber("run_id", RunId);
        w.WriteString("program", Command.Program);
        WriteArray(w, "argv", Command.Argv);
        WriteArray(w, "environment", Command.Environment);
        ShimJson.WriteNullable(w, "cwd", Command.Cwd);
        w.WriteString("result_file", Command.ResultFile);
        w.WriteNumber("output_capacity", OutputCapacity);
    });

    public static ShimSpec? Read(string path) => ShimJson.Read(path, root => new ShimSpec
    {
        RunId = root.GetProperty("run_id").GetInt64(),
        Command = new PreparedCommand
        {
            Program = root.GetProperty("program").GetString()!,
            Argv = Strings(root.GetProperty("argv")),
            Environment = Strings(root.GetProperty("environment")),
            Cwd = ShimJson.String(root, "cwd"),
            ResultFile = root.GetProperty("result_file").GetString()!,
        },
        OutputCapacity = root.GetProperty("output_capacity").GetInt32(),
    });

    private static void WriteArray(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
