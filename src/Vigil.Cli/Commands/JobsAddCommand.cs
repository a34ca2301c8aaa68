using System.CommandLine;
using Vigil.Cli.Operating;
using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil jobs add NAME</c>: creates a job in the ledger (an API job: config reloads leave it alone).</summary>
internal sealed class JobsAddCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _name = OperatorOptions.JobName();
    private readonly JobSpecOptions _spec = new();

    /// <summary>Creates the command.</summary>
    public JobsAddCommand(CliContext context)
        : base("add", "Add a job to the ledger (an API job: it survives config reloads; the config wins if it later declares the same name). "
            + "Needs --schedule and one action (--command, --shell or --http-url); other policies come from the config's defaults")
    {
        _context = context;
        Arguments.Add(_name);
        _spec.AddTo(this);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(_name)!;
        if (!JobDefinition.IsValidName(name))
        {
            throw new UsageException($"job name \"{name}\" is not valid (letters, digits, -, _ and ., starting with a letter or digit, at most 128 characters)");
        }

        await using var ledger = await OperatorLedger.OpenAsync(parseResult, _context, cancellationToken);
        JobsEditCommand.RefuseIfDeclared(ledger, name, stored: null);
        var existing = await ledger.Store.GetJobAsync(name, cancellationToken);
        if (existing is { RemovedAt: null })
        {
            throw new UsageException($"job \"{name}\" already exists (change it with 'vigil jobs edit {name}')");
        }

        var now = ledger.Now;
        var definition = _spec.Build(parseResult, name, existing: null, ledger.Config, anchorDefault: now);
        await ledger.Store.UpsertJobAsync(
            new StoredJob
            {
                Name = name,
                Definition = JobCodec.Serialize(definition),
                Source = JobSource.Api,
                CreatedAt = now,
                UpdatedAt = now,
            },
            cancellationToken);
        ledger.Wake();

        var view = await JobCatalog.FindAsync(ledger, name, cancellationToken);
        var history = existing is null ? string.Empty : " (the earlier job of this name was removed; its runs are kept)";
        _context.Out.WriteLine($"added job \"{name}\"{history}: {view.Schedule!.Describe()}, next slot {Output.TimeText.Instant(view.NextSlot)}");
        return ExitCodes.Ok;
    }
}
