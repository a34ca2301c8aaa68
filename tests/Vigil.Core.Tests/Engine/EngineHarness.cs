using Vigil.Core.Tests.Supervision;
using Vigil.Engine;
using Vigil.Incidents;
using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Storage.Sqlite;
using Vigil.Supervision;

namespace Vigil.Core.Tests.Engine;

/// <summary>
/// A real engine on a real SQLite ledger in a temporary directory, driven by a manual clock.
/// Engines can be started one after another on the same ledger (restarts) and made to die
/// (<see cref="EngineInstance.Crash"/>) so the next one has something to recover.
/// </summary>
/// <remarks>
/// Tests wait on conditions read from the ledger (polled, with a deadline only a failing test
/// reaches) or on the clock's armed timers, never on a sleep. The clock moves only when a test moves
/// it, so every instant the ledger records is exact.
/// </remarks>
internal sealed class EngineHarness : IAsyncDisposable
{
    /// <summary>How long a test waits for something that should happen at once.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>When the clock starts: a Monday morning, whole seconds (the ledger keeps milliseconds).</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public const string Node = "test-node";

    private const string LedgerFile = "ledger.db";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    private readonly TempDirectory _temp;
    private readonly List<EngineInstance> _instances = [];
    private readonly List<GateHandler> _gates = [];

    private EngineHarness(TempDirectory temp, SqliteRunStore ledger)
    {
        _temp = temp;
        Ledger = ledger;
    }

    public ManualTimeProvider Clock { get; } = new(Start);

    public HandlerRegistry Handlers { get; } = new();

    /// <summary>The test's own connection to the ledger, like the CLI's: it reads what engines committed.</summary>
    public SqliteRunStore Ledger { get; }

    public string Directory => _temp.Path;

    public static async Task<EngineHarness> CreateAsync()
    {
        var temp = new TempDirectory();
        var ledger = await SqliteRunStore.OpenAsync(System.IO.Path.Combine(temp.Path, LedgerFile), CancellationToken.None);
        return new EngineHarness(temp, ledger);
    }

    /// <summary>Registers a <see cref="GateHandler"/> under <paramref name="name"/>.</summary>
    public GateHandler Gate(string name, bool ignoresCancellation = false)
    {
        var gate = new GateHandler { IgnoresCancellation = ignoresCancellation };
        Handlers.Register(name, gate);
        _gates.Add(gate);
        return gate;
    }

    /// <summary>Registers a handler that succeeds at once and counts its runs.</summary>
    public Func<int> Ok(string name)
    {
        var count = 0;
        Handlers.Register(name, new DelegateHandler((_, _) =>
        {
            Interlocked.Increment(ref count);
            return Task.FromResult(HandlerResult.Ok);
        }));
        return () => Volatile.Read(ref count);
    }

    /// <summary>Stores a job as the config sync would, created at <paramref name="createdAt"/> (default: one minute before <see cref="Start"/>).</summary>
    public Task AddJobAsync(JobDefinition job, DateTimeOffset? createdAt = null)
    {
        var created = createdAt ?? Start.AddMinutes(-1);
        return Ledger.UpsertJobAsync(
            new StoredJob
            {
                Name = job.Name,
                Definition = JobCodec.Serialize(job),
                Source = JobSource.Config,
                CreatedAt = created,
                UpdatedAt = created,
            },
            CancellationToken.None);
    }

    /// <summary>Starts an engine (a new incarnation) on the ledger and waits until its recovery is done.</summary>
    /// <param name="configure">Changes to the engine's options.</param>
    /// <param name="fault">Fails single ledger calls of this engine: given the method name and arguments, the exception to fail with, or null.</param>
    public async Task<EngineInstance> StartAsync(Func<EngineOptions, EngineOptions>? configure = null, Func<string, object?[], Exception?>? fault = null)
    {
        var options = new EngineOptions
        {
            Node = Node,
            RunsDirectory = Path.Combine(Directory, "runs"),

            // The manual clock jumps minutes or hours at once; the lease is not what these tests are about.
            Lease = TimeSpan.FromDays(30),

            // No safety-net wake-ups: the loop must wake for each due instant by itself, and the
            // timer it arms is exactly that instant (see AdvanceToTimerAsync).
            MaxSleep = TimeSpan.FromDays(30),

            // Slots are claimed on their instant, so the timer the loop arms is the slot itself.
            FireLead = TimeSpan.Zero,

            // Likewise no periodic incident checks, stall verdicts or delivery retries of their own:
            // their timers would share instants with the ones tests wait for. Incident tests run the
            // checks through EngineInstance.Engine.Monitor and set these where they are the subject.
            Incidents = new IncidentOptions
            {
                CheckInterval = TimeSpan.FromDays(30),
                StallAfter = TimeSpan.FromDays(30),
                AlertBackoff = TimeSpan.FromDays(30),
                AlertMaxBackoff = TimeSpan.FromDays(30),
            },
        };
        options = configure?.Invoke(options) ?? options;
        var store = await SqliteRunStore.OpenAsync(LedgerPath, CancellationToken.None);
        var instance = new EngineInstance(store, options, Clock, Handlers, fault);
        _instances.Add(instance);
        await instance.Engine.Ready.WaitAsync(Patience);
        return instance;
    }

    /// <summary>
    /// Waits until the engine has armed a timer for <paramref name="instant"/> (it is waiting for it),
    /// then moves the clock there: the engine reacts to the instant instead of racing the move.
    /// </summary>
    public async Task AdvanceToTimerAsync(DateTimeOffset instant)
    {
        await Clock.WaitForTimerAsync(instant, Patience);
        Clock.AdvanceTo(instant);
    }

    public string LedgerPath => Path.Combine(Directory, LedgerFile);

    /// <summary>Every row of <paramref name="job"/>, by slot then attempt.</summary>
    public async Task<IReadOnlyList<RunRecord>> RunsAsync(string job)
    {
        var runs = await Ledger.ListRunsAsync(new RunQuery { Job = job, Limit = 10_000 }, CancellationToken.None);
        return [.. runs.OrderBy(r => r.Slot).ThenBy(r => r.Attempt)];
    }

    /// <summary>Waits until the row (job, slot, attempt) exists and satisfies <paramref name="until"/>.</summary>
    public async Task<RunRecord> WaitForRunAsync(string job, DateTimeOffset slot, int attempt, Func<RunRecord, bool> until, string what)
    {
        RunRecord? found = null;
        await WaitUntilAsync(
            async () =>
            {
                var attempts = await Ledger.ListAttemptsAsync(job, slot, CancellationToken.None);
                found = attempts.FirstOrDefault(a => a.Attempt == attempt);
                return found is not null && until(found);
            },
            () => $"{job} at {slot:O} attempt {attempt}: {what} (last seen: {Describe(found)})");
        return found!;
    }

    /// <summary>Waits until (job, slot, attempt) is in <paramref name="state"/>.</summary>
    public Task<RunRecord> WaitForStateAsync(string job, DateTimeOffset slot, int attempt, RunState state) =>
        WaitForRunAsync(job, slot, attempt, r => r.State == state, state.Name());

    /// <summary>Waits until (job, slot, attempt) is terminal.</summary>
    public Task<RunRecord> WaitForEndAsync(string job, DateTimeOffset slot, int attempt = 1) =>
        WaitForRunAsync(job, slot, attempt, r => r.State.IsTerminal(), "terminal");

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <see cref="Patience"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(Patience.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!await condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"waited {Patience.TotalSeconds}s for {what()}");
            }

            await Task.Delay(PollInterval);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var gate in _gates)
        {
            gate.ReleaseAll();
        }

        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await Ledger.DisposeAsync();
        _temp.Dispose();
    }

    private static string Describe(RunRecord? run) =>
        run is null ? "no row" : $"{run.State.Name()} {run.Reason}";
}
