namespace Vigil.Supervision;

/// <summary>What an action wrote to <c>VIGIL_RESULT_FILE</c>; every field is optional.</summary>
/// <param name="Status"><c>ok</c>, <c>empty</c> or <c>failed</c>.</param>
/// <param name="Summary">A one-line summary.</param>
/// <param name="TokensIn">Tokens sent to a model.</param>
/// <param name="TokensOut">Tokens received from a model.</param>
internal sealed record ResultReport(string? Status, string? Summary, long? TokensIn, long? TokensOut);
