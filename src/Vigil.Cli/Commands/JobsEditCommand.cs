using System.CommandLine;
using Vigil.Cli.Operating;
using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil jobs edit NAME</c>: changes a job created through the CLI or API; config jobs are changed in the file.</summary>
internal sealed class JobsEditCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _name = OperatorOptions.JobName();
    private readonly JobSpecOptions _spec = new();

    /// <summary>Creates the command.</summary>
    public JobsEditCommand(CliContext context)
        : base("edit", "Change an API job (one added with 'vigil jobs add'): only the options given change; a new action replaces the old one. "
            + "Jobs declared in the config are refused: edit the file instead")
    {
        _context = context;
        Arguments.Add(_name);
        _spec.AddTo(this);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    /// <summary>
    /// Refuses a change to a job the config declares (or a stored config job): the config wins on the
    /// next reload, so a change made here would silently disappear.
    /// </summary>
    public static void RefuseIfDeclared(OperatorLedger ledger, string name, StoredJob? stored)
    {
        if (stored is { Source: JobSource.Config, RemovedAt: null } || ledger.Config.Jobs.Any(j => j.Name == name))
        {
            throw new UsageException($"job \"{name}\" is declared in {ledger.ConfigPath}; edit the file instead");
        }
    }

    /// <summary>The stored job an edit or remove may change: it must exist and not be a config job.</summary>
    public static async Task<StoredJob> GetApiJobAsync(OperatorLedger ledger, string name, CancellationToken cancellationToken)
    {
        var stored = await ledger.Store.GetJobAsync(name, cancellationToken);
        RefuseIfDeclared(ledger, name, stored);
        return stored ?? throw new UsageException(OperatorLedger.NoJob(name));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(_name)!;
        if (!_spec.AnyGiven(parseResult))
        {
            throw new UsageException("nothing to change: give at least one option (see 'vigil jobs edit --help')");
        }

        await using var ledger = await OperatorLedger.OpenAsync(parseResult, _context, cancellationToken);
        var stored = await GetApiJobAsync(ledger, name, cancellationToken);
        if (stored.RemovedAt is not null)
        {
            throw new UsageException($"job \"{name}\" was removed; add it again with 'vigil jobs add {name}'");
        }

        JobDefinition existing;
        try
        {
            existing = JobCodec.Deserialize(stored.Definition);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException or ArgumentException or NullReferenceException)
        {
            throw new UsageException($"job \"{name}\" has a stored definition that cannot be read ({e.Message}); remove it and add it again");
        }

        var now = ledger.Now;
        var definition = _spec.Build(parseResult, name, existing, ledger.Config, anchorDefault: stored.CreatedAt);
        var json = JobCodec.Serialize(definition);
        if (json == JobCodec.Serialize(existing))
        {
            _context.Out.WriteLine($"job \"{name}\" unchanged");
            return ExitCodes.Ok;
        }

        await ledger.Store.UpsertJobAsync(stored with { Definition = json, UpdatedAt = now }, cancellationToken);
        ledger.Wake();

        var view = await JobCatalog.FindAsync(ledger, name, cancellationToken);
        _context.Out.WriteLine($"changed job \"{name}\": {view.Schedule!.Describe()}, next slot {Output.TimeText.Instant(view.NextSlot)}");
        return ExitCodes.Ok;
    }
}
