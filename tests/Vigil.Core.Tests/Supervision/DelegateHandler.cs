using Vigil.Supervision;

namespace Vigil.Core.Tests.Supervision;

/// <summary>An <see cref="IJobHandler"/> from a lambda.</summary>
internal sealed class DelegateHandler(Func<RunContext, CancellationToken, Task<HandlerResult>> run) : IJobHandler
{
    public Task<HandlerResult> RunAsync(RunContext context, CancellationToken cancellationToken) => run(context, cancellationToken);
}
