using Vigil.Jobs;

namespace Vigil.Core.Tests.Jobs;

public class PlaceholdersTests
{
    private static string? Env(string name) => name switch
    {
        "TOKEN" => "s3cret",
        "EMPTY" => string.Empty,
        _ => null,
    };

    [Theory]
    [InlineData("Bearer ${TOKEN}", "Bearer s3cret")]
    [InlineData("${TOKEN}${TOKEN}", "s3crets3cret")]
    [InlineData("[${EMPTY}]", "[]")]
    [InlineData("no placeholders", "no placeholders")]
    [InlineData("$HOME and $ alone", "$HOME and $ alone")]
    [InlineData("literal $${TOKEN}", "literal ${TOKEN}")]
    [InlineData("price $$5", "price $$5")]
    [InlineData("ends with $", "ends with $")]
    public void TryExpand_ValidText_ExpandsOnlyBracedNames(string text, string expected)
    {
        Assert.True(Placeholders.TryExpand(text, Env, out var expanded, out var error), error);
        Assert.Equal(expected, expanded);
    }

    [Theory]
    [InlineData("Bearer ${MISSING}", "environment variable MISSING is not set")]
    [InlineData("${TOKEN", "unclosed \"${\" (write $${ for a literal \"${\")")]
    [InlineData("${}", "\"${}\" is not a valid variable name (letters, digits and _, not starting with a digit)")]
    [InlineData("${1X}", "\"${1X}\" is not a valid variable name (letters, digits and _, not starting with a digit)")]
    [InlineData("${A-B}", "\"${A-B}\" is not a valid variable name (letters, digits and _, not starting with a digit)")]
    public void TryExpand_BadTextOrUnsetVariable_FailsWithOneLine(string text, string expected)
    {
        Assert.False(Placeholders.TryExpand(text, Env, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("${ANY_NAME_1}", true)]
    [InlineData("${UNSET}", true)]
    [InlineData("${oops", false)]
    public void TryValidate_ChecksSyntaxOnly(string text, bool valid)
    {
        Assert.Equal(valid, Placeholders.TryValidate(text, out _));
    }
}
