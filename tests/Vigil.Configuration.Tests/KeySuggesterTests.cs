using Vigil.Configuration.Reading;

namespace Vigil.Configuration.Tests;

public class KeySuggesterTests
{
    [Theory]
    [InlineData("timout", "timeout")]
    [InlineData("tiemout", "timeout")]
    [InlineData("Timeout", "timeout")]
    [InlineData("catchup", "catch_up")]
    [InlineData("on_interupt", "on_interrupt")]
    [InlineData("sesion", "session")]
    [InlineData("x", null)]
    [InlineData("colour", null)]
    [InlineData("tmt", null)]
    public void Closest_Typo_SuggestsOnlyCloseKeys(string key, string? expected)
    {
        Assert.Equal(expected, KeySuggester.Closest(key, Reading.PolicyReader.Keys));
    }
}
