// Usage: Vigil.Storage.Sqlite.CrashChild <database> <workers>
//
// Opens the ledger, starts an incarnation and lets <workers> tasks insert, claim and finish runs
// until the process is killed. After each FinishAsync returns it prints "<run id>" on stdout: the
// parent kills this process with SIGKILL at an arbitrary moment and checks that every printed id
// is in the ledger as succeeded.
using System.Globalization;
using Vigil.Ledger;
using Vigil.Storage.Sqlite;

var path = args[0];
var workers = int.Parse(args[1], CultureInfo.InvariantCulture);
var t0 = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
var output = Console.Out;
var gate = new Lock();

await using var store = await SqliteRunStore.OpenAsync(path, CancellationToken.None);
var owner = await store.StartIncarnationAsync("crash-child", Environment.ProcessId, t0, TimeSpan.FromDays(1), CancellationToken.None);
lock (gate)
{
    output.WriteLine("ready");
}

await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
{
    for (var i = 0; ; i++)
    {
        var id = await store.InsertRunAsync(new NewRun { Job = "crash-" + worker, Slot = t0.AddSeconds(i) }, t0, CancellationToken.None)
            ?? throw new InvalidOperationException("slot already materialized");
        if (await store.ClaimAsync(id, owner, t0, t0.AddHours(1), CancellationToken.None) != ClaimResult.Claimed
            || !await store.FinishAsync(id, owner, new RunOutcome { State = RunState.Succeeded, ExitCode = 0 }, t0, CancellationToken.None))
        {
            throw new InvalidOperationException($"run {id} could not be claimed and finished");
        }

        lock (gate)
        {
            output.WriteLine(id.ToString(CultureInfo.InvariantCulture));
        }
    }
})));
