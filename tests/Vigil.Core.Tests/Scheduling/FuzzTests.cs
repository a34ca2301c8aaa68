using System.Diagnostics;
using System.Globalization;
using System.Text;
using Vigil.Scheduling;
using Xunit.Abstractions;

namespace Vigil.Core.Tests.Scheduling;

/// <summary>
/// A million random texts into <see cref="Schedule.Parse"/>: random characters, mutated valid
/// expressions and phrases, and shuffled schedule words. A bad text may only raise
/// <see cref="ScheduleFormatException"/> with a one-line message; a good one must answer
/// <see cref="Schedule.GetNextOccurrence"/> promptly. Seeded, so a failure names its input and reproduces.
/// </summary>
/// <remarks>
/// The million (in UTC) takes about 20-35 s on two cores, most of it the cost of the rejections; a
/// tenth as many run again in zones far from UTC. With <c>VIGIL_LONG_TESTS=1</c> both are five times larger.
/// </remarks>
public class FuzzTests(ITestOutputHelper output)
{
    private const int Workers = 8;

    private static readonly int Texts = Environment.GetEnvironmentVariable("VIGIL_LONG_TESTS") == "1" ? 5_000_000 : 1_000_000;

    /// <summary>Far above any real search (a never-matching expression scans 400 years in milliseconds); only a hang trips it.</summary>
    private static readonly TimeSpan SlowestCallAllowed = TimeSpan.FromSeconds(5);

    /// <summary>About ten times what a million texts take on a slow machine: a hang, not a slow runner, trips it.</summary>
    private static readonly TimeSpan WholeRunAllowed = TimeSpan.FromMinutes(5 * Texts / 1_000_000);

    private static readonly string[] ZonesFarFromUtc =
        ["America/New_York", "Asia/Tokyo", "Pacific/Kiritimati", "Etc/GMT+12", "Europe/Berlin", "Australia/Lord_Howe"];

    private static readonly DateTimeOffset From = new(2026, 6, 15, 12, 34, 56, 789, TimeSpan.Zero);

    private static readonly string[] Seeds =
    [
        "0 22 * * *", "*/15 * * * *", "0 9-17 * * 1-5", "30 2 * * *", "0 0 L * *", "0 0 LW * *", "0 0 L-3W * *",
        "0 0 15W * *", "0 0 * * 5L", "0 0 * * 6#3", "0 0 13 * 5", "0 0 ? * MON-FRI", "0 0 1 JAN,JUL ?",
        "0 22-2/2 * * *", "*/10 * * * * *", "0 30 2 * * SUN", "5/15 1,2,3 1-31/7 */3 0-7", "0 0 29 2 *",
        "@yearly", "@monthly", "@weekly", "@daily", "@hourly", "@every_second",
        "every 30m", "every 1h30m", "every 500ms", "every 1d", "at 2026-12-01T09:00:00+01:00", "2026-12-01T09:00:00Z",
        "at 2026-03-29T02:30:00", "at 9999-12-31T23:59:59", "0001-01-01T00:00:00", "59 23 31 12 *", "hourly", "hourly at :15", "daily at 22:00", "weekdays at 9am", "every monday at 09:30",
        "every 15 minutes", "every 2 hours at :30", "every 10 seconds", "weekly on friday at 17:00",
        "monthly on the 15th at 08:00", "on the last day of the month at 23:00", "last friday of the month at 16:00",
        "first monday of the month at 9am", "2nd tuesday of the month at 10:00", "every mon, wed and fri at 8pm",
        "every day in january and july at 6am", "daily at 9:00 and 17:00", "weekends at 10:30", "22:00",
    ];

    private static readonly string[] Words =
    [
        "every", "at", "on", "the", "of", "and", ",", "daily", "hourly", "weekly", "monthly", "yearly", "weekdays",
        "weekend", "last", "first", "2nd", "5th", "31st", "day", "weekday", "monday", "fri", "sundays", "january",
        "dec", "month", "noon", "midnight", "9am", "12pm", "13pm", "22:00", "24:00", "9:60", ":15", ":99", "minutes",
        "hours", "seconds", "15", "0", "60", "99999", "-1", "other", "through", "to", "*", "*/0", "*/15", "?", "L",
        "LW", "L-31", "15W", "5L", "5#3", "0#0", "JAN-MAR", "MON-SUN", "30m", "1h", "0s", "2026-03-29T02:30:00",
    ];

    private const string Alphabet = "0123456789      ****////,,,,----???LLWW##@:abcdefghijklmnopqrstuvwxyzJANFEBMONSUN\t";

    [Fact]
    public Task Parse_MillionRandomTexts_RejectsCleanlyOrAnswersPromptly() =>
        Run(Texts, [TimeZoneInfo.Utc], 20_260_329);

    // The same in zones far from UTC, where local date-times near the ends of the calendar and
    // daylight-saving transitions come into play.
    [Fact]
    public Task Parse_RandomTextsInZonesFarFromUtc_RejectCleanlyOrAnswerPromptly() =>
        Run(Texts / 10, [.. ZonesFarFromUtc.Select(TimeZones.Find)], 20_261_025);

    private async Task Run(int texts, TimeZoneInfo[] zones, int seed)
    {
        var slowest = new Slowest[Workers];
        var current = new string?[Workers];
        var failures = new List<string>[Workers];
        var parsed = new int[Workers];

        var total = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var run = Task.Run(() => Parallel.For(0, Workers, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, worker =>
        {
            var random = new Random(seed + worker);
            var stopwatch = new Stopwatch();
            failures[worker] = [];
            for (var i = worker; i < texts; i += Workers)
            {
                var text = NextText(random);
                var zone = zones[i % zones.Length];
                current[worker] = text;
                Schedule schedule;
                try
                {
                    schedule = Schedule.Parse(text, zone);
                }
                catch (ScheduleFormatException e)
                {
                    if (e.Message.Contains('\n', StringComparison.Ordinal) || e.Message.Contains('\r', StringComparison.Ordinal))
                    {
                        failures[worker].Add($"{Quote(text)}: message has a line break: {Quote(e.Message)}");
                    }

                    continue;
                }
                catch (Exception e)
                {
                    failures[worker].Add($"{Quote(text)} in {zone.Id}: {e.GetType().Name}: {Quote(e.Message)}");
                    continue;
                }

                parsed[worker]++;
                stopwatch.Restart();
                try
                {
                    _ = schedule.GetNextOccurrence(From);
                    _ = schedule.Describe();
                }
                catch (Exception e)
                {
                    failures[worker].Add($"{Quote(text)} in {zone.Id} parsed but {e.GetType().Name}: {Quote(e.Message)}");
                }

                if (stopwatch.Elapsed > slowest[worker].Elapsed)
                {
                    slowest[worker] = new Slowest(text, stopwatch.Elapsed);
                }
            }

            current[worker] = null;
        }));

        var finished = await Task.WhenAny(run, Task.Delay(WholeRunAllowed)) == run;
        Assert.True(finished, $"not finished after {WholeRunAllowed}; still working on: {string.Join(", ", current.Where(c => c is not null).Select(c => Quote(c!)))}");
        await run;

        var worst = slowest.MaxBy(s => s.Elapsed);
        output.WriteLine($"{texts:N0} texts, {parsed.Sum():N0} parsed, {total.Elapsed.TotalSeconds:F1} s ({(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s of CPU); slowest GetNextOccurrence + Describe: {worst.Elapsed.TotalMilliseconds:F1} ms for {Quote(worst.Text ?? string.Empty)}");
        var all = failures.SelectMany(f => f).ToList();
        Assert.True(all.Count == 0, $"{all.Count} failures, first ones:\n{string.Join('\n', all.Take(20))}");
        Assert.True(worst.Elapsed < SlowestCallAllowed, $"{Quote(worst.Text ?? string.Empty)} took {worst.Elapsed}");
    }

    private static string NextText(Random random) => random.Next(10) switch
    {
        < 3 => RandomCharacters(random),
        < 8 => Mutate(random, Seeds[random.Next(Seeds.Length)]),
        _ => WordSoup(random),
    };

    /// <summary>Mostly schedule characters, sometimes anything from the Basic Multilingual Plane, control characters included.</summary>
    private static string RandomCharacters(Random random)
    {
        var length = random.Next(0, 41);
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(random.Next(10) == 0 ? (char)random.Next(0, 0xFFFF) : Alphabet[random.Next(Alphabet.Length)]);
        }

        return builder.ToString();
    }

    /// <summary>One to four edits of a valid text: replace, insert, delete, duplicate, swap tokens, splice a number, truncate.</summary>
    private static string Mutate(Random random, string seed)
    {
        var text = seed;
        var edits = random.Next(2) == 0 ? 1 : random.Next(2, 5);
        for (var e = 0; e < edits; e++)
        {
            var position = text.Length == 0 ? 0 : random.Next(text.Length);
            text = random.Next(8) switch
            {
                0 when text.Length > 0 => text.Remove(position, 1).Insert(position, OneCharacter(random)),
                1 => text.Insert(position, OneCharacter(random)),
                2 when text.Length > 0 => text.Remove(position, 1),
                3 => SwapTokens(random, text),
                4 => text.Insert(position, random.Next(4) switch
                {
                    0 => "99999",
                    1 => "-1",
                    2 => int.MaxValue.ToString(CultureInfo.InvariantCulture),
                    _ => random.Next(0, 100).ToString(CultureInfo.InvariantCulture),
                }),
                5 => text[..position],
                6 => text + " " + Words[random.Next(Words.Length)],
                _ => text.Insert(position, random.Next(3) switch { 0 => "\n", 1 => "\t", _ => "  " }),
            };
        }

        return text;
    }

    private static string OneCharacter(Random random) => Alphabet.Substring(random.Next(Alphabet.Length), 1);

    private static string SwapTokens(Random random, string text)
    {
        var tokens = text.Split(' ');
        if (tokens.Length < 2)
        {
            return text + " " + text;
        }

        var a = random.Next(tokens.Length);
        var b = random.Next(tokens.Length);
        (tokens[a], tokens[b]) = (tokens[b], tokens[a]);
        return string.Join(' ', tokens);
    }

    private static string WordSoup(Random random) =>
        string.Join(' ', Enumerable.Range(0, random.Next(1, 8)).Select(_ => Words[random.Next(Words.Length)]));

    private static string Quote(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }

    private readonly record struct Slowest(string? Text, TimeSpan Elapsed);
}
