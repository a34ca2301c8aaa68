using System.Diagnostics.Metrics;
using Vigil.Api.Metrics;

namespace Vigil.Api.Tests;

/// <summary>The Prometheus exposition: written by <see cref="PrometheusText"/>, read back by a strict parser.</summary>
public sealed class MetricsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Metrics_FromTheDaemon_ParseStrictlyAndCarryEveryInstrument()
    {
        using var response = await fixture.Daemon.Http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("0.0.4", response.Content.Headers.ContentType?.Parameters.Single(p => p.Name == "version").Value);

        var families = PrometheusParser.Parse(text);

        var runs = families["vigil_runs_total"];
        Assert.Equal("counter", runs.Type);
        Assert.Contains(runs.Samples, s => s.Labels["job"] == "boom" && s.Labels["state"] == "failed" && s.Value >= 3);
        Assert.Equal("histogram", families["vigil_fire_lateness_seconds"].Type);
        Assert.Contains(families["vigil_fire_lateness_seconds"].Samples, s => s.Name.EndsWith("_count", StringComparison.Ordinal) && s.Labels["job"] == "boom" && s.Value >= 1);
        Assert.Equal("histogram", families["vigil_run_duration_seconds"].Type);
        Assert.Contains(families["vigil_run_duration_seconds"].Samples, s => s.Labels.GetValueOrDefault("state") == "failed");
        var incidents = families["vigil_incidents_open"];
        Assert.Equal("gauge", incidents.Type);
        Assert.Contains(incidents.Samples, s => s.Labels["kind"] == "failed_streak" && s.Value >= 1);
        Assert.Contains(incidents.Samples, s => s.Labels["kind"] == "crash_loop" && s.Value == 0);
        var heartbeat = Assert.Single(families["vigil_loop_heartbeat_age_seconds"].Samples);
        Assert.InRange(heartbeat.Value, 0, 120);
        Assert.Equal("histogram", families["vigil_ledger_write_duration_seconds"].Type);
        Assert.True(Assert.Single(families["vigil_ledger_commits_total"].Samples).Value > 0);
        Assert.Equal("gauge", families["vigil_ledger_commits_per_second"].Type);
        Assert.Equal(1, Assert.Single(families["vigil_ready"].Samples).Value);
    }

    [Fact]
    public void PrometheusText_EscapesLabelsAndHelp_AndTheParserReadsThemBack()
    {
        MetricFamily[] families =
        [
            new("odd", "help with \\ and\nnewline", MetricKind.Counter, [new([new("job", "a\"b\\c\nd")], 3)]),
            new("lat_seconds", "latency", MetricKind.Histogram, [new([], 3, [0.1, 1], [1, 2, 0], 1.25)]),
            new("g", "gauge", MetricKind.Gauge, [new([], double.PositiveInfinity), new([new("k", "v")], 0.5)]),
        ];

        var text = PrometheusText.Write(families);
        var parsed = PrometheusParser.Parse(text);

        Assert.Equal("a\"b\\c\nd", parsed["odd_total"].Samples.Single().Labels["job"]);
        Assert.Equal(3, parsed["odd_total"].Samples.Single().Value);
        Assert.Equal([1, 3, 3, 1.25, 3], parsed["lat_seconds"].Samples.Select(s => s.Value));
        Assert.Equal("+Inf", parsed["lat_seconds"].Samples[2].Labels["le"]);
        Assert.True(double.IsPositiveInfinity(parsed["g"].Samples[0].Value));
    }

    [Theory]
    [InlineData("x 1", "end with a line feed")]
    [InlineData("# TYPE x_total counter\nx_total -1\n", "negative")]
    [InlineData("# TYPE x counter\nx 1\n", "_total")]
    [InlineData("# TYPE x gauge\nx{a=\"1\"} 1\nx{a=\"1\"} 2\n", "duplicate series")]
    [InlineData("# TYPE x gauge\nx{a=\"\\t\"} 1\n", "invalid escape")]
    [InlineData("# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\nx 2\n", "outside its family")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", "not cumulative")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n", "+Inf")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n", "_count")]
    [InlineData("# TYPE x gauge\nx one\n", "invalid value")]
    [InlineData("# TYPE x meter\n", "unknown type")]
    [InlineData("# TYPE 1x gauge\n", "malformed")]
    public void Parser_RejectsMalformedText(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => PrometheusParser.Parse(text));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Collector_FoldsCountersHistogramsAndGauges()
    {
        using var meter = new Meter("Vigil.Test." + Guid.NewGuid().ToString("N"));
        using var collector = new MetricsCollector();
        var counter = meter.CreateCounter<long>("test.things", description: "things");
        var histogram = meter.CreateHistogram<double>("test.wait", unit: "s", description: "waits", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 10] });
        var level = 7;
        meter.CreateObservableGauge("test.level", () => level, description: "level");

        counter.Add(2, new KeyValuePair<string, object?>("job", "a"));
        counter.Add(3, new KeyValuePair<string, object?>("job", "a"));
        counter.Add(1, new KeyValuePair<string, object?>("job", "b"));
        histogram.Record(0.5);
        histogram.Record(5);
        histogram.Record(50);
        var parsed = PrometheusParser.Parse(PrometheusText.Write(collector.Collect().Where(f => f.Name.StartsWith("test_", StringComparison.Ordinal))));
        level = 9;
        var again = PrometheusParser.Parse(PrometheusText.Write(collector.Collect().Where(f => f.Name.StartsWith("test_", StringComparison.Ordinal))));

        Assert.Equal([5.0, 1.0], parsed["test_things_total"].Samples.Select(s => s.Value));
        Assert.Equal([1.0, 2.0, 3.0, 55.5, 3.0], parsed["test_wait_seconds"].Samples.Select(s => s.Value));
        Assert.Equal(7, parsed["test_level"].Samples.Single().Value);
        Assert.Equal(9, again["test_level"].Samples.Single().Value);
    }
}
