namespace Vigil.Core.Tests.Supervision;

/// <summary>A request as <see cref="LoopbackServer"/> received it (header names lower-cased).</summary>
internal sealed record ReceivedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body);
