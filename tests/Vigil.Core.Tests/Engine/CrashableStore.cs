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
/// it can no longer change what the next incarnation finds. A test can also fail single calls (a
/// statement's I/O error) to see what the engine does with a ledger that refuses one write.
/// </remarks>
#pragma warning disable CA1852 // DispatchProxy derives from this type at run time.
internal class CrashableStore : DispatchProxy
#pragma warning restore CA1852
{
    private IRunStore? _inner;
    private Func<string, object?[], Exception?>? _fault;
    private volatile bool _crashed;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="fault"/> may fail single calls (by method name and arguments).</summary>
    public static IRunStore Wrap(IRunStore inner, Func<string, object?[], Exception?>? fault, out Action crash)
    {
        var proxy = Create<IRunStore, CrashableStore>();
        var self = (CrashableStore)(object)proxy;
        self._inner = inner;
        self._fault = fault;
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

        if (_fault?.Invoke(targetMethod.Name, args ?? []) is { } fault)
        {
            return Faulted(targetMethod.ReturnType, fault);
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

    /// <summary>A task of <paramref name="returnType"/> (Task or Task&lt;T&gt;) that failed with <paramref name="fault"/>.</summary>
    private static object Faulted(Type returnType, Exception fault)
    {
        if (returnType == typeof(Task))
        {
            return Task.FromException(fault);
        }

        var fromException = typeof(Task).GetMethods().Single(m => m.Name == nameof(Task.FromException) && m.IsGenericMethod);
        return fromException.MakeGenericMethod(returnType.GetGenericArguments()[0]).Invoke(null, [fault])!;
    }
}
