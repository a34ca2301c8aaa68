using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Vigil.Operations.Json;
using Vigil.Operations;
using Vigil.Cli.Daemon;
using Vigil.Cli.Operating;
using Vigil.Cli.Output;
using Vigil.Incidents;
using Vigil.Scheduling;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil doctor</c>: is the daemon alive and its loops fresh, is the ledger sound, are jobs past
/// due or incidents open, is the clock sane, is there room in the data directory. Exits
/// <see cref="ExitCodes.Unhealthy"/> when any check fails.
/// </summary>
internal sealed class DoctorCommand : Command
{
    /// <summary>Below this much free space in the data directory the check fails.</summary>
    private const long MinFreeBytes = 100L * 1024 * 1024;

    /// <summary>Below this much it warns.</summary>
    private const long LowFreeBytes = 1024L * 1024 * 1024;

    /// <summary>How far ahead of this clock the ledger's newest instant may be before the clock is suspect.</summary>
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMinutes(1);

    private readonly CliContext _context;
    private readonly Option<bool> _json = OperatorOptions.Json("an object: healthy, checks [{name, status, detail}]");

    /// <summary>Creates the command.</summary>
    public DoctorCommand(CliContext context)
        : base("doctor", $"Check the daemon (alive, loops fresh), the ledger (integrity), past-due jobs, open incidents, the clock and free space in the data dir; exits {ExitCodes.Unhealthy} when a check fails")
    {
        _context = context;
        Options.Add(_json);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var checks = new List<Check>();
        await using var ledger = await CliLedger.OpenAsync(parseResult, _context, cancellationToken);
        var now = ledger.Now;
        checks.Add(CheckDaemon(ledger.Config.DataDir, now));

        var integrity = await ledger.Store.CheckLedgerAsync(cancellationToken);
        checks.Add(integrity.Problems.Count == 0
            ? new Check("ledger", Status.Ok, $"{ledger.Config.SqlitePath}: integrity ok")
            : new Check("ledger", Status.Fail, $"{ledger.Config.SqlitePath}: {string.Join("; ", integrity.Problems.Take(5))}"));

        var open = await ledger.Store.ListIncidentsAsync(new IncidentQuery { States = [IncidentState.Open, IncidentState.Acknowledged], Limit = 1000 }, cancellationToken);
        var pastDue = open.Where(i => i.Kind == IncidentKind.PastDue).ToList();
        checks.Add(pastDue.Count == 0
            ? new Check("past_due", Status.Ok, "no job is past due")
            : new Check("past_due", Status.Fail, string.Join("; ", pastDue.Select(i => $"{i.Job}: {i.Detail}"))));
        var others = open.Where(i => i.Kind != IncidentKind.PastDue).ToList();
        checks.Add(others.Count == 0
            ? new Check("incidents", Status.Ok, "no open incidents")
            : new Check(
                "incidents",
                others.Any(i => i.State == IncidentState.Open) ? Status.Fail : Status.Warn,
                Invariant($"{others.Count} unresolved ({others.Count(i => i.State == IncidentState.Acknowledged)} acknowledged): ")
                    + string.Join("; ", others.Take(5).Select(i => $"#{i.Id} {i.Kind.Name()} {i.Job ?? "node " + i.Node}"))
                    + (others.Count > 5 ? "; ... (vigil incidents list)" : string.Empty)));

        checks.Add(integrity.LatestInstant is { } latest && latest > now + ClockSlack
            ? new Check("clock", Status.Fail, $"the ledger holds {Iso.Format(latest)}, {Duration.Format(Whole(latest - now))} ahead of this clock ({Iso.Format(now)}): the clock went back, or another host wrote with a clock ahead")
            : new Check("clock", Status.Ok, $"{Iso.Format(now)}; nothing in the ledger is ahead of it"));
        checks.Add(CheckFreeSpace(ledger.Config.DataDir));

        var healthy = checks.All(c => c.Status != Status.Fail);
        if (parseResult.GetValue(_json))
        {
            _context.Out.WriteLine(JsonText.Write(writer =>
            {
                writer.WriteStartObject();
                writer.WriteBoolean("healthy", healthy);
                writer.WriteStartArray("checks");
                foreach (var check in checks)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", check.Name);
                    writer.WriteString("status", check.Status.ToString().ToLowerInvariant());
                    writer.WriteString("detail", check.Detail);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }));
        }
        else
        {
            var table = new TextTable("CHECK", "STATUS", "DETAIL");
            foreach (var check in checks)
            {
                table.Add(check.Name, check.Status.ToString().ToUpperInvariant(), check.Detail);
            }

            table.Write(_context.Out);
            var failed = checks.Count(c => c.Status == Status.Fail);
            _context.Out.WriteLine(healthy ? "healthy" : Invariant($"unhealthy: {failed} check(s) failed"));
        }

        return healthy ? ExitCodes.Ok : ExitCodes.Unhealthy;
    }

    /// <summary>Alive: the daemon holds the data directory's lock. Fresh: its health file is recent and says its loops progress.</summary>
    private static Check CheckDaemon(string dataDir, DateTimeOffset now)
    {
        var lockPath = Path.Combine(dataDir, LocalLedger.LockFile);
        try
        {
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return new Check("daemon", Status.Fail, $"no daemon is running with data dir {dataDir} (start it with 'vigil run')");
        }
        catch (FileNotFoundException)
        {
            return new Check("daemon", Status.Fail, $"no daemon has run with data dir {dataDir} (start it with 'vigil run')");
        }
        catch (DirectoryNotFoundException)
        {
            return new Check("daemon", Status.Fail, $"no daemon has run with data dir {dataDir} (start it with 'vigil run')");
        }
        catch (IOException)
        {
            // The lock is held: a daemon is alive. How is its loop?
        }

        var healthPath = Path.Combine(dataDir, DaemonHealth.FileName);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(healthPath));
            var root = document.RootElement;
            var pid = root.GetProperty("pid").GetInt32();
            var written = Iso.TryParse(root.GetProperty("written_at").GetString() ?? string.Empty, TimeZoneInfo.Utc, out var at) ? at : DateTimeOffset.MinValue;
            var interval = TimeSpan.FromMilliseconds(root.GetProperty("interval_ms").GetInt64());
            var age = now - written;
            if (age > 3 * interval + TimeSpan.FromSeconds(5))
            {
                return new Check("daemon", Status.Fail, $"pid {pid} holds the lock but last wrote its health file {Duration.Format(Whole(age))} ago: the daemon is wedged");
            }

            if (!root.GetProperty("healthy").GetBoolean())
            {
                return new Check("daemon", Status.Fail, $"pid {pid} is stalled: {root.GetProperty("stall").GetString()}");
            }

            return new Check("daemon", Status.Ok, $"pid {pid} running, loops fresh ({root.GetProperty("status").GetString()}; health written {Duration.Format(Whole(age))} ago)");
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return new Check("daemon", Status.Warn, $"a daemon holds the lock but its health file is not readable yet ({e.Message})");
        }
    }

    private static Check CheckFreeSpace(string dataDir)
    {
        try
        {
            var free = new DriveInfo(Path.GetFullPath(dataDir)).AvailableFreeSpace;
            var text = Invariant($"{free / (1024 * 1024)} MiB free in {dataDir}");
            return free < MinFreeBytes ? new Check("disk", Status.Fail, text)
                : free < LowFreeBytes ? new Check("disk", Status.Warn, text)
                : new Check("disk", Status.Ok, text);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return new Check("disk", Status.Warn, $"free space of {dataDir} unknown: {e.Message}");
        }
    }

    private static TimeSpan Whole(TimeSpan span) => TimeSpan.FromSeconds(Math.Max(0, Math.Floor(span.TotalSeconds)));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private enum Status
    {
        Ok,
        Warn,
        Fail,
    }

    private sealed record Check(string Name, Status Status, string Detail);
}
