using System.Text;
using System.Text.Json;

namespace Vigil.Cli.Tests;

public class ScheduleBatchTests
{
    [Fact]
    public async Task Batch_GoodBadExprAndBadZone_WritesOneLinePerInputInOrder()
    {
        var input = """
            {"expr":"0 30 2 * * *","tz":"Europe/Berlin","from":"2026-03-28T12:00:00Z","n":2}
            {"expr":"0 61 * * *","tz":"UTC","from":"2026-01-01T00:00:00Z"}
            {"expr":"@daily","tz":"Mars/Olympus_Mons","from":"2026-01-01T00:00:00Z"}
            """;

        var result = await VigilProcess.RunWithStdinAsync(input, "schedule", "next", "--batch");

        Assert.Equal(0, result.ExitCode);
        var lines = result.StdoutLines;
        Assert.Equal(3, lines.Length);
        Assert.Equal("""{"next":["2026-03-29T01:00:00Z","2026-03-30T00:30:00Z"]}""", lines[0]);
        Assert.StartsWith("""{"error":"invalid schedule \"0 61 * * *\": """, lines[1], StringComparison.Ordinal);
        Assert.StartsWith("{\"error\":\"unknown time zone \\\"Mars/Olympus_Mons\\\"", lines[2], StringComparison.Ordinal);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task Batch_FromOnAFire_IsExclusive()
    {
        var input = """{"expr":"0 9 * * *","from":"2026-01-01T09:00:00Z","n":2}""" + "\n";

        var result = await VigilProcess.RunWithStdinAsync(input, "schedule", "next", "--batch");

        Assert.Equal(["""{"next":["2026-01-02T09:00:00Z","2026-01-03T09:00:00Z"]}"""], result.StdoutLines);
    }

    [Fact]
    public async Task Batch_MissingTzAndN_DefaultsToUtcAndFive()
    {
        var input = """{"expr":"@daily","from":"2026-01-01T00:00:00Z"}""";

        var result = await VigilProcess.RunWithStdinAsync(input, "schedule", "next", "--batch");

        Assert.Equal(
            ["""{"next":["2026-01-02T00:00:00Z","2026-01-03T00:00:00Z","2026-01-04T00:00:00Z","2026-01-05T00:00:00Z","2026-01-06T00:00:00Z"]}"""],
            result.StdoutLines);
    }

    /// <summary>Each bad line and the start of the error it must get; one batch answers them all, in order.</summary>
    private static readonly (string Line, string Error)[] BadLines =
    [
        ("not json", "invalid JSON: "),
        ("[1,2]", "each line must be a JSON object"),
        ("""{"expr":"@daily"}""", "\\\"from\\\" is required"),
        ("""{"expr":"@daily","from":"yesterday"}""", "invalid \\\"from\\\" \\\"yesterday\\\""),
        ("""{"expr":"@daily","from":"2026-01-01T00:00:00Z","n":0}""", "\\\"n\\\" must be between 1 and 1000 (got 0)"),
        ("""{"expr":"@daily","from":"2026-01-01T00:00:00Z","n":1001}""", "\\\"n\\\" must be between 1 and 1000 (got 1001)"),
        ("""{"expr":"@daily","from":"2026-01-01T00:00:00Z","n":"5"}""", "\\\"n\\\" must be an integer"),
        ("""{"expr":"@daily","from":"2026-01-01T00:00:00Z","timezone":"UTC"}""", "unknown field \\\"timezone\\\""),
        ("""{"from":"2026-01-01T00:00:00Z"}""", "\\\"expr\\\" is required"),
        ("""{"expr":"@daily","from":"2026-01-01T00:00:00Z"} trailing""", "invalid JSON: "),
        ("""{"expr":"every 0s","from":"2026-01-01T00:00:00Z"}""", "invalid schedule \\\"every 0s\\\""),
    ];

    [Fact]
    public async Task Batch_BadLines_WriteOneErrorLineEachInOrder()
    {
        var input = string.Concat(BadLines.Select(bad => bad.Line + "\n"));

        var result = await VigilProcess.RunWithStdinAsync(input, "schedule", "next", "--batch");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(BadLines.Length, result.StdoutLines.Length);
        foreach (var (bad, output) in BadLines.Zip(result.StdoutLines))
        {
            Assert.StartsWith("{\"error\":\"" + bad.Error, output, StringComparison.Ordinal);
            using var json = JsonDocument.Parse(output);
            Assert.Single(json.RootElement.EnumerateObject());
        }
    }

    [Fact]
    public async Task Batch_BlankLines_AreSkipped()
    {
        var input = "\n{\"expr\":\"@daily\",\"from\":\"2026-01-01T00:00:00Z\",\"n\":1}\n   \n\r\n{\"expr\":\"@hourly\",\"from\":\"2026-01-01T00:00:00Z\",\"n\":1}\r\n";

        var result = await VigilProcess.RunWithStdinAsync(input, "schedule", "next", "--batch");

        Assert.Equal(["""{"next":["2026-01-02T00:00:00Z"]}""", """{"next":["2026-01-01T01:00:00Z"]}"""], result.StdoutLines);
    }

    [Fact]
    public async Task Batch_ThousandsOfLines_AnswersEveryLineInOrder()
    {
        // Each line asks for one fire of a daily 00:00 schedule from a different day, so the answer
        // names the input line it belongs to.
        var start = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var input = new StringBuilder();
        for (var day = 0; day < 5000; day++)
        {
            input.Append("{\"expr\":\"0 0 * * *\",\"from\":\"").Append(Format(start.AddDays(day))).Append("\",\"n\":1}\n");
        }

        var result = await VigilProcess.RunWithStdinAsync(input.ToString(), "schedule", "next", "--batch");

        var lines = result.StdoutLines;
        Assert.Equal(5000, lines.Length);
        for (var day = 0; day < lines.Length; day++)
        {
            Assert.Equal("{\"next\":[\"" + Format(start.Date.AddDays(day + 1)) + "\"]}", lines[day]);
        }
    }

    private static string Format(DateTimeOffset instant) =>
        instant.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Format(DateTime utc) =>
        utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
