using Vigil.Supervision;

namespace Vigil.Core.Tests.Supervision;

public class ProcStatTests
{
    [Fact]
    public void Parse_CommandNameWithSpacesAndParentheses_ReadsTheFieldsAfterIt()
    {
        const string Line = "4242 (my (odd) name) S 17 4242 4240 0 -1 4194304 65 0 0 0 0 0 0 0 20 0 1 0 987654 2654208 384 18446744073709551615";

        var stat = ProcStat.Parse(Line);

        Assert.Equal(new ProcStat(4242, 'S', 17, 4242, 4240, 987654), stat);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("12 (sh) S 1 12")]
    public void Parse_Malformed_IsNull(string line) => Assert.Null(ProcStat.Parse(line));

    [Fact]
    public void Read_Self_MatchesThisProcess()
    {
        var self = ProcStat.Read(Environment.ProcessId);

        Assert.NotNull(self);
        Assert.Equal(Environment.ProcessId, self.Value.Pid);
        Assert.False(self.Value.IsGone);
    }
}
