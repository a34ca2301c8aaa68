using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Vigil.Scheduling;

namespace Vigil.Core.Tests.Scheduling;

/// <summary>
/// Properties of cron schedules over random valid expressions, zones with every shape of
/// daylight-saving transition and start instants in 1990-2060 (mostly near a transition), checked
/// against an independent reading of the expression (<see cref="NaiveCron"/>) and of the zone
/// (<see cref="DstOracle"/>, built on <see cref="TimeZoneInfo"/> alone).
/// </summary>
/// <remarks>
/// The seeds are fixed so a failure reproduces; FsCheck prints the failing case. Set
/// <c>VIGIL_LONG_TESTS=1</c> for many more cases than the default run.
/// </remarks>
public class PropertyTests
{
    private static readonly bool LongRun = Environment.GetEnvironmentVariable("VIGIL_LONG_TESTS") == "1";

    /// <summary>How far the brute-force scan looks: three days of minutes, or three hours of seconds.</summary>
    private static TimeSpan Window(NaiveCron cron) => cron.HasSeconds ? TimeSpan.FromHours(3) : TimeSpan.FromDays(3);

    [Fact]
    public void GetNextOccurrence_RandomCron_IsLaterAndMatchesOrEndsAGap()
    {
        Check.One(Config(2_000, 100_000, 1), Prop.ForAll(Cases(), c =>
        {
            var next = Schedule(c).GetNextOccurrence(c.From);
            if (next is null)
            {
                return;
            }

            Assert.True(next > c.From, $"{Format(next.Value, c.Zone)} is not after {c.From:o}");
            Assert.True(
                DstOracle.FiresAt(c.Cron, c.Zone, next.Value, out var why),
                $"{Format(next.Value, c.Zone)} should not fire: {why}");
        }));
    }

    [Fact]
    public void GetNextOccurrence_RandomCron_SkipsNothingThatShouldFire()
    {
        Check.One(Config(1_000, 30_000, 2), Prop.ForAll(Cases(), c =>
        {
            var schedule = Schedule(c);
            var until = c.From + Window(c.Cron);
            var expected = DstOracle.FiresIn(c.Cron, c.Zone, c.From, until);

            var actual = new List<DateTimeOffset>();
            var cursor = c.From;
            while (actual.Count <= expected.Count)
            {
                var next = schedule.GetNextOccurrence(cursor);
                if (next is null || next > until)
                {
                    break;
                }

                Assert.True(next > cursor, $"{Format(next.Value, c.Zone)} is not after {Format(cursor, c.Zone)}");
                actual.Add(next.Value);
                cursor = next.Value;
            }

            Assert.Equal(expected.Select(e => Format(e, c.Zone)), actual.Select(a => Format(a, c.Zone)));
        }));
    }

    [Fact]
    public void GetOccurrences_RandomCron_EqualsRepeatedGetNextOccurrence()
    {
        Check.One(Config(600, 20_000, 3), Prop.ForAll(Cases(), c =>
        {
            var schedule = Schedule(c);
            var to = c.From + Window(c.Cron);
            var cap = 20_000;

            var ranged = schedule.GetOccurrences(c.From, to).Take(cap).ToList();

            var iterated = new List<DateTimeOffset>();
            var cursor = c.From.AddTicks(-1);
            while (iterated.Count < cap && schedule.GetNextOccurrence(cursor) is { } next && next < to)
            {
                iterated.Add(next);
                cursor = next;
            }

            Assert.Equal(iterated, ranged);
        }));
    }

    [Fact]
    public void GetDstNote_RandomCronFires_NameTheirTransition()
    {
        Check.One(Config(1_000, 30_000, 5), Prop.ForAll(Cases(), c =>
        {
            var schedule = Schedule(c);
            var until = c.From + Window(c.Cron);
            var cursor = c.From;
            for (var i = 0; i < 2_000 && schedule.GetNextOccurrence(cursor) is { } next && next <= until; i++)
            {
                Assert.True(
                    DstOracle.Note(c.Cron, c.Zone, next) == schedule.GetDstNote(next),
                    $"{Format(next, c.Zone)}: expected {DstOracle.Note(c.Cron, c.Zone, next)}, got {schedule.GetDstNote(next)}");
                cursor = next;
            }
        }));
    }

    [Fact]
    public void Parse_GeneratedExpression_IsAccepted()
    {
        // The generator claims to make only valid expressions; the other properties rely on it.
        Check.One(Config(2_000, 50_000, 4), Prop.ForAll(CronGenerators.Expression().ToArbitrary(), cron =>
        {
            var schedule = Vigil.Scheduling.Schedule.Parse(cron.Text, TimeZoneInfo.Utc);
            Assert.Equal(ScheduleKind.Cron, schedule.Kind);
        }));
    }

    private static Arbitrary<CronCase> Cases() =>
        (from zone in Gen.Elements(CronGenerators.Zones)
         from seconds in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
         from start in CronGenerators.Instant(zone, seconds)
         from cron in CronGenerators.Expression(seconds, CronGenerators.HoursNear(zone, start))
         select new CronCase(cron, TimeZones.Find(zone), start)).ToArbitrary();

    private static Config Config(int quick, int longRun, ulong seed) =>
        FsCheck.Config.QuickThrowOnFailure
            .WithMaxTest(LongRun ? longRun : quick)
            .WithReplay(new Replay(new Rnd(seed), null))
            .WithQuietOnSuccess(true);

    private static Schedule Schedule(CronCase c) => Vigil.Scheduling.Schedule.Parse(c.Cron.Text, c.Zone);

    private static string Format(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>One generated case: an expression, a zone and the instant to search after.</summary>
    private sealed record CronCase(NaiveCron Cron, TimeZoneInfo Zone, DateTimeOffset From)
    {
        public override string ToString() =>
            $"\"{Cron.Text}\" in {Zone.Id} after {From.ToString("o", CultureInfo.InvariantCulture)} ({TimeZoneInfo.ConvertTime(From, Zone).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture)})";
    }
}
