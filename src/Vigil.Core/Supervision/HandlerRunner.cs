using Vigil.Jobs;

namespace Vigil.Supervision;

/// <summary>Runs <see cref="HandlerAction"/>s: registered <see cref="IJobHandler"/>s, on the thread pool.</summary>
internal sealed class HandlerRunner : IActionRunner
{
    private readonly HandlerRegistry _registry;
    private readonly TimeProvider _timeProvider;
    private readonly int _outputCapacity;

    /// <summary>Creates the runner.</summary>
    /// <param name="registry">Where handlers are looked up, at each start.</param>
    /// <param name="timeProvider">The clock for <see cref="IRunningAction.LastOutputTicks"/>.</param>
    /// <param name="outputCapacity">The output tail's cap in bytes.</param>
    public HandlerRunner(HandlerRegistry registry, TimeProvider timeProvider, int outputCapacity = OutputTail.DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _registry = registry;
        _timeProvider = timeProvider;
        _outputCapacity = outputCapacity;
    }

    /// <inheritdoc />
    public bool CanRun(ActionSpec action) => action is HandlerAction;

    /// <inheritdoc />
    public IRunningAction Start(ActionSpec action, RunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (action is not HandlerAction handlerAction)
        {
            throw new ArgumentException($"The handler runner cannot run a {action?.Kind ?? "null"} action.", nameof(action));
        }

        if (!_registry.TryGet(handlerAction.Name, out var handler))
        {
            return new NotStartedAction($"no handler named '{Reasons.OneLine(handlerAction.Name)}' is registered", _timeProvider);
        }

        return new RunningHandler(handler, context, new OutputTail(_outputCapacity, _timeProvider));
    }

    /// <inheritdoc />
    /// <remarks>The handler is looked up and its output tail and token made ahead; the start only queues it.</remarks>
    public Func<IRunningAction> Prepare(ActionSpec action, RunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (action is not HandlerAction handlerAction || !_registry.TryGet(handlerAction.Name, out var handler))
        {
            return () => Start(action, context);
        }

        var prepared = RunningHandler.Prepare(handler, context, new OutputTail(_outputCapacity, _timeProvider));
        return prepared.Launch;
    }
}
