namespace Vigil.Cli.Tests; public class P { [Fact] public void X() => Assert.True(true); }
