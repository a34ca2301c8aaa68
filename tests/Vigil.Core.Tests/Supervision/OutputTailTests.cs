using System.Text;
using Vigil.Supervision;

namespace Vigil.Core.Tests.Supervision;

public class OutputTailTests
{
    [Fact]
    public void ToString_UnderTheCap_IsEverything()
    {
        var tail = new OutputTail(16, TimeProvider.System);

        tail.Append("hello "u8);
        tail.Append("world"u8);

        Assert.Equal("hello world", tail.ToString());
        Assert.Equal(11, tail.TotalBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(25)]
    public void ToString_OverTheCap_KeepsTheLastBytesWhateverTheChunking(int chunkSize)
    {
        var text = string.Concat(Enumerable.Range(0, 50).Select(i => (char)('a' + (i % 26))));
        var bytes = Encoding.ASCII.GetBytes(text);
        var tail = new OutputTail(10, TimeProvider.System);

        for (var i = 0; i < bytes.Length; i += chunkSize)
        {
            tail.Append(bytes.AsSpan(i, Math.Min(chunkSize, bytes.Length - i)));
        }

        Assert.Equal(text[^10..], tail.ToString());
        Assert.Equal(50, tail.TotalBytes);
    }

    [Fact]
    public void ToString_CutInsideACharacter_DropsItsRemainder()
    {
        var tail = new OutputTail(4, TimeProvider.System);

        tail.Append(Encoding.UTF8.GetBytes("x€ab")); // € is three bytes; the cap keeps its last two

        Assert.Equal("ab", tail.ToString());
    }

    [Fact]
    public void ToString_InvalidUtf8_IsReplaced()
    {
        var tail = new OutputTail(16, TimeProvider.System);

        tail.Append([(byte)'a', 0xFF, (byte)'b']);

        Assert.Equal("a\uFFFDb", tail.ToString());
    }

    [Fact]
    public void Append_RecordsTheTime()
    {
        var clock = new ManualTimeProvider();
        var tail = new OutputTail(16, clock);
        var created = clock.GetUtcNow().UtcTicks;

        clock.Advance(TimeSpan.FromSeconds(30));
        var before = tail.LastOutputTicks;
        tail.Append("x"u8);

        Assert.Equal(created, before);
        Assert.Equal(created + TimeSpan.FromSeconds(30).Ticks, tail.LastOutputTicks);
    }

    [Fact]
    public void Writer_SplitSurrogatePair_IsEncodedWhole()
    {
        var tail = new OutputTail(64, TimeProvider.System);
        using var writer = new OutputTailWriter(tail);

        writer.Write('\uD83D');
        writer.Write('\uDE00');
        writer.WriteLine(" ok");

        Assert.Equal("\U0001F600 ok" + Environment.NewLine, tail.ToString());
    }
}
