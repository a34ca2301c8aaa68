using Vigil.Supervision;

namespace Vigil.Core.Tests.Supervision;

public class PlaceholdersTests
{
    private static readonly Dictionary<string, string> Variables = new()
    {
        ["TOKEN"] = "abc",
        ["HOST"] = "example.org",
        ["EMPTY"] = "",
        ["_X1"] = "y",
    };

    private static string? Lookup(string name) => Variables.GetValueOrDefault(name);

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("Bearer ${TOKEN}", "Bearer abc")]
    [InlineData("https://${HOST}/a?t=${TOKEN}", "https://example.org/a?t=abc")]
    [InlineData("[${EMPTY}]", "[]")]
    [InlineData("${_X1}${_X1}", "yy")]
    [InlineData("$TOKEN stays", "$TOKEN stays")]
    [InlineData("$${TOKEN} is escaped", "${TOKEN} is escaped")]
    [InlineData("${unterminated", "${unterminated")]
    [InlineData("${} and ${1X} and ${A-B}", "${} and ${1X} and ${A-B}")]
    [InlineData("cost: $5", "cost: $5")]
    [InlineData("$", "$")]
    public void Expand_Text_ReplacesBracedNamesOnly(string text, string expected)
    {
        var result = Placeholders.Expand(text, Lookup, out var missing);

        Assert.Null(missing);
        Assert.Equal(expected, result);
    }

    [Fact]
    public void Expand_UnsetVariable_ReportsTheFirstMissingName()
    {
        Placeholders.Expand("${TOKEN}-${NOPE}-${ALSO_NOPE}", Lookup, out var missing);

        Assert.Equal("NOPE", missing);
    }
}
