using Vigil.Scheduling;
using Xunit.Abstractions;

namespace Vigil.Core.Tests.Scheduling;

public class SmokeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("0 22 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", 4)]
    [InlineData("30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", 3)]
    [InlineData("30 * * * *", "Europe/Berlin", "2026-10-24T23:00:00Z", 5)]
    [InlineData("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", 3)]
    [InlineData("*/15 * * * *", "Europe/Berlin", "2026-03-29T00:40:00Z", 4)]
    [InlineData("daily at 22:00", "UTC", "2026-03-28T12:00:00Z", 2)]
    [InlineData("weekdays at 9am", "America/New_York", "2026-03-28T12:00:00Z", 3)]
    [InlineData("0 0 L * *", "UTC", "2026-01-28T12:00:00Z", 3)]
    [InlineData("0 0 * * 5L", "UTC", "2026-01-28T12:00:00Z", 3)]
    [InlineData("every 45m", "UTC", "2026-01-28T12:00:00Z", 3)]
    public void Print(string expr, string zone, string from, int n)
    {
        var s = Schedule.Parse(expr, TimeZones.Find(zone));
        output.WriteLine($"{expr} => {s.Expression}: {s.Describe()}");
        var t = DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < n; i++)
        {
            var next = s.GetNextOccurrence(t);
            Assert.NotNull(next);
            Assert.True(next > t);
            output.WriteLine($"  {Iso.Format(next.Value)} {Iso.FormatLocal(next.Value, s.Zone)} {s.GetDstNote(next.Value)}");
            t = next.Value;
        }
    }
}
