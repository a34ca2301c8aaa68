using System.Reflection;
using Vigil.Ledger;

namespace Vigil.Core.Tests.Engine;

/// <summary>
/// Stands between an engine and its ledger so a test can make the engine "die": once the
/// crash action runs, nothing the engine does reaches the ledger any more, exactly what a kill -9
/// leaves behind (what was committed stays, nothing else is written).
/// </summary>
/// <remarks>
/// The engine object itself keeps running in the test process; every ledger call it makes fails, so
/// it can no longer change what the next incarnation finds.
/// </remarks>
#pragma warning disable CA1852 // DispatchProxy derives from this type at run time.
internal class CrashableStore : DispatchProxy
#pragma warning restore CA1852
{
    private IRunStore? _inner;
    private volatile bool _crashed;

    public static IRunStore Wrap(IRunStore inner, out Action crash)
    {
        var proxy = Create<IRunStore, CrashableStore>();
        var self = (CrashableStore)(object)proxy;
        self._inner = inner;
        crash = () => self._crashed = true;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (_crashed && targetMethod.Name != nameof(IAsyncDisposable.DisposeAsync))
        {
            throw new InvalidOperationException("the process owning this ledger connection died");
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
