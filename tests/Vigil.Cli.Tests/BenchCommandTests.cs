using System.Text.Json;

namespace Vigil.Cli.Tests;

public class BenchCommandTests
{
    [Theory]
    [InlineData("unknown benchmark 'fastest'", "bench", "fastest")]
    [InlineData("--n must be between 1 and 10000000", "bench", "recovery", "--n", "0")]
    [InlineData("--seconds must be between 1 and 3600", "bench", "latency", "--seconds", "0.5")]
    [InlineData("--concurrency must be between 1 and 100000", "bench", "throughput", "--concurrency", "0")]
    [InlineData("--warmup must be between 0 and 10000000", "bench", "throughput", "--warmup", "-1")]
    [InlineData("no such directory", "bench", "recovery", "--dir", "/nonexistent/vigil-bench-parent")]
    public async Task Bench_BadInput_ExitsTwoWithOneStderrLine(string expected, params string[] args)
    {
        var result = await VigilProcess.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task BenchRecovery_SmallRun_PrintsOneJsonLineAndLeavesNothingBehind()
    {
        var parent = Directory.CreateTempSubdirectory("vigil-bench-test-");
        try
        {
            var result = await VigilProcess.RunAsync("bench", "recovery", "--n", "50", "--dir", parent.FullName);

            Assert.Equal(0, result.ExitCode);
            var line = Assert.Single(result.StdoutLines);
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            Assert.Equal("recovery", root.GetProperty("bench").GetString());
            Assert.Equal(50, root.GetProperty("interrupted").GetInt32());
            Assert.Equal(50, root.GetProperty("requeued").GetInt32());
            Assert.True(root.GetProperty("ready_ms").GetDouble() > 0);
            Assert.Equal("FULL", root.GetProperty("synchronous").GetString());
            Assert.Empty(parent.EnumerateFileSystemInfos());
        }
        finally
        {
            parent.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(false, "one template")]
    [InlineData(true, "distinct")]
    public async Task BenchScale_SmallRun_ReportsTheDefinitionsItRegistered(bool distinct, string expected)
    {
        var parent = Directory.CreateTempSubdirectory("vigil-bench-test-");
        try
        {
            string[] args = ["bench", "scale", "--n", "300", "--seconds", "1", "--dir", parent.FullName];
            var result = await VigilProcess.RunAsync(distinct ? [.. args, "--distinct"] : args);

            Assert.Equal(0, result.ExitCode);
            using var json = JsonDocument.Parse(Assert.Single(result.StdoutLines));
            var root = json.RootElement;
            Assert.Equal(300, root.GetProperty("jobs").GetInt32());
            Assert.Equal(expected, root.GetProperty("definitions").GetString());
            Assert.True(root.GetProperty("ready_seconds").GetDouble() > 0);
            Assert.Empty(parent.EnumerateFileSystemInfos());
        }
        finally
        {
            parent.Delete(recursive: true);
        }
    }
}
