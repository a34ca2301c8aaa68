namespace Vigil.Cli.Tests;

/// <summary><c>vigil shim</c>: the run supervisor is internal (hidden), explains itself, and refuses to run by hand.</summary>
public class ShimCommandTests
{
    [Fact]
    public async Task Shim_StartedByHand_ExitsTwoWithOneLineAndStartsNothing()
    {
        var directory = Directory.CreateTempSubdirectory("vigil-shim-");
        try
        {
            var result = await VigilProcess.RunAsync("shim", directory.FullName);

            Assert.Equal(2, result.ExitCode);
            var line = Assert.Single(result.StderrLines);
            Assert.StartsWith("vigil: shim: no run lock", line, StringComparison.Ordinal);
            Assert.Empty(directory.GetFileSystemInfos());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Help_RootHidesTheShimAndTheShimExplainsItself()
    {
        var root = await VigilProcess.RunAsync("--help");
        var shim = await VigilProcess.RunAsync("shim", "--help");

        Assert.DoesNotContain("shim", root.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, shim.ExitCode);
        Assert.Contains("Run supervisor", shim.Stdout, StringComparison.Ordinal);
        Assert.Contains("RUN_DIR", shim.Stdout, StringComparison.Ordinal);
    }
}
