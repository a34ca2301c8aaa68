using Vigil.Scheduling;

namespace Vigil.Core.Tests.Scheduling;

public class ZoneRulesTests
{
    // TryLocate answers, in one look-up, what OffsetAt, TryFindLastTransition and TryFindTransition
    // answer separately; the cron search relies on the two agreeing.
    [Theory]
    [InlineData("Europe/Berlin")]
    [InlineData("America/New_York")]
    [InlineData("Australia/Lord_Howe")] // 30-minute DST
    [InlineData("America/Santiago")]    // southern hemisphere, rule changes
    [InlineData("Africa/Casablanca")]   // several transitions a year
    [InlineData("Pacific/Apia")]        // skipped a whole day in 2011
    [InlineData("Asia/Kolkata")]        // no transitions since 1945
    [InlineData("UTC")]
    public void TryLocate_AgreesWithTheSeparateLookups(string zoneId)
    {
        var rules = ZoneRules.For(TimeZones.Find(zoneId));
        var random = new Random(zoneId.Length);
        var from = new DateTime(1900, 1, 1).Ticks;
        var to = new DateTime(2100, 1, 1).Ticks;

        for (var i = 0; i < 20_000; i++)
        {
            var utc = random.NextInt64(from, to);
            if (i % 4 == 0 && rules.TryFindTransition(utc, utc + (400 * TimeSpan.TicksPerDay), out var near))
            {
                // On, just before and just after a transition.
                utc = near.At + ((i / 4 % 3) - 1);
            }

            Assert.True(rules.TryLocate(utc, out var location));
            Assert.Equal(rules.OffsetAt(utc), location.Offset);

            var hasLast = rules.TryFindLastTransition(utc, TimeSpan.TicksPerDay, out var last);
            var locatedLast = location.HasPrevious && location.Previous.At >= utc - TimeSpan.TicksPerDay;
            Assert.Equal(hasLast, locatedLast);
            if (hasLast)
            {
                Assert.Equal(last, location.Previous);
            }

            // No transition strictly between the instant and NextAt; Next is the one found at NextAt.
            Assert.True(location.NextAt > utc);
            Assert.False(rules.TryFindTransition(utc, location.NextAt - 1, out _));
            if (location.HasNext)
            {
                Assert.True(rules.TryFindTransition(utc, location.NextAt, out var next));
                Assert.Equal(next, location.Next);
            }
        }
    }
}
