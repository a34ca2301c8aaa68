using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Vigil.Supervision;

/// <summary>
/// The in-process handlers an embedding application offers, by name. A job runs one with
/// <c>run: { handler: name }</c>. Thread-safe.
/// </summary>
public sealed class HandlerRegistry
{
    private readonly ConcurrentDictionary<string, IJobHandler> _handlers = new(StringComparer.Ordinal);

    /// <summary>The registered names.</summary>
    public IReadOnlyCollection<string> Names => [.. _handlers.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Registers <paramref name="handler"/> under <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">A handler is already registered under that name.</exception>
    public void Register(string name, IJobHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(handler);
        if (!_handlers.TryAdd(name, handler))
        {
            throw new InvalidOperationException($"A handler named '{name}' is already registered.");
        }
    }

    /// <summary>Finds the handler registered under <paramref name="name"/>.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out IJobHandler? handler) => _handlers.TryGetValue(name, out handler);
}
