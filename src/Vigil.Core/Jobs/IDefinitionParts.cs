using Vigil.Ledger;

namespace Vigil.Jobs;

/// <summary>
/// Hands <see cref="JobCodec"/> shared instances of the parts it reads, so that decoding many
/// definitions with parts in common keeps (and allocates) one copy of each.
/// </summary>
/// <remarks>
/// Every method returns a value equal to its argument: sharing never changes what a definition
/// says, only which instance holds it.
/// </remarks>
internal interface IDefinitionParts
{
    /// <summary>A string equal to <paramref name="value"/> (schedules, zones, handler names, sessions).</summary>
    string Text(ReadOnlySpan<char> value);

    /// <summary>A list equal to <paramref name="names"/> (<c>after</c>).</summary>
    IReadOnlyList<string> Names(IReadOnlyList<string> names);

    /// <summary>A list equal to <paramref name="states"/> (<c>retry.on</c>).</summary>
    IReadOnlyList<RunState> States(IReadOnlyList<RunState> states);

    /// <summary>A retry policy equal to <paramref name="retry"/>.</summary>
    RetryPolicy Retry(RetryPolicy retry);

    /// <summary>An expect policy equal to <paramref name="expect"/>.</summary>
    ExpectPolicy Expect(ExpectPolicy expect);

    /// <summary>Policies equal to <paramref name="policies"/>.</summary>
    JobPolicies Policies(JobPolicies policies);

    /// <summary>A handler action equal to <paramref name="handler"/>.</summary>
    HandlerAction Handler(HandlerAction handler);
}
