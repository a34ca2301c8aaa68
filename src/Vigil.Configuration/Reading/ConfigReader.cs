using System.Globalization;
using System.Net;
using Vigil.Configuration.Yaml;
using Vigil.Jobs;
using Vigil.Scheduling;

namespace Vigil.Configuration.Reading;

/// <summary>Reads the document's top level into a <see cref="VigilConfig"/>.</summary>
internal static class ConfigReader
{
    private static readonly IReadOnlyList<string> TopKeys =
        ["data_dir", "storage", "node", "timezone", "server", "metrics", "drain_timeout", "on_stop", "max_concurrent_runs", "stall_after", "on_stall", "alert_reminder", "defaults", "alerts", "jobs"];

    private static readonly (string, StallAction)[] StallActions = [("log", StallAction.Log), ("exit", StallAction.Exit)];

    private static readonly IReadOnlyList<string> ServerKeys = ["listen", "token_env"];
    private static readonly IReadOnlyList<string> MetricsKeys = ["otlp_endpoint", "otlp_interval"];
    private static readonly IReadOnlyList<string> JobOnlyKeys = ["schedule", "every", "at", "anchor", "timezone", "enabled", "run"];

    /// <summary>The config, or null when there were errors (all of them in <paramref name="errors"/>).</summary>
    /// <param name="root">The document, or null for an empty file.</param>
    /// <param name="configPath">The config file's full path.</param>
    /// <param name="host">Where the node and zone defaults come from.</param>
    /// <param name="errors">Where errors go.</param>
    public static VigilConfig? Read(YamlNode? root, string configPath, HostDefaults host, ErrorList errors)
    {
        var r = new NodeReader(errors);
        var directory = Path.GetDirectoryName(configPath)!;
        var config = new VigilConfig
        {
            ConfigPath = configPath,
            DataDir = Path.GetFullPath(Path.Combine(directory, "vigil-data")),
            Node = host.MachineName,
            TimeZone = host.TimeZoneId,
        };

        if (root is null)
        {
            return errors.Count == 0 ? config : null;
        }

        if (root is not YamlMapping top)
        {
            errors.Add(root, $"the file must be a mapping of settings (data_dir:, jobs:, ...), not {root.Describe()}");
            return null;
        }

        var zone = TimeZones.Find(host.TimeZoneId);

        // The top-level on_stop is the default under defaults:, whichever of the two comes first in the file.
        var basis = JobPolicies.Default;
        if (top.Find("on_stop") is { } onStopEntry
            && r.TryChoice(onStopEntry.Value, "on_stop", PolicyReader.StopChoices, out var onStop))
        {
            basis = basis with { OnStop = onStop };
        }

        var defaults = basis;
        IReadOnlyList<YamlScalar>? defaultAfter = null;
        YamlEntry? jobs = null;
        foreach (var (key, value) in top.Entries)
        {
            var name = key.Value;
            switch (name)
            {
                case "data_dir" when r.TryName(value, name, out var dataDir):
                    config = config with { DataDir = Path.GetFullPath(Path.Combine(directory, dataDir)) };
                    break;
                case "storage":
                    config = config with { Storage = ReadStorage(value, r) };
                    break;
                case "node" when r.TryName(value, name, out var node):
                    config = config with { Node = node };
                    break;
                case "timezone" when r.TryName(value, name, out var id):
                    if (TimeZones.TryFind(id, out var found, out var error))
                    {
                        zone = found;
                        config = config with { TimeZone = id };
                    }
                    else
                    {
                        r.Error(value, name, error!);
                    }

                    break;
                case "server":
                    config = config with { Server = ReadServer(value, r) };
                    break;
                case "metrics":
                    config = config with { Metrics = ReadMetrics(value, r) };
                    break;
                case "drain_timeout" when r.TryDuration(value, name, positive: false, out var drain):
                    config = config with { DrainTimeout = drain };
                    break;
                case "max_concurrent_runs" when r.TryInt(value, name, min: 1, out var maxRuns):
                    config = config with { MaxConcurrentRuns = maxRuns };
                    break;
                case "stall_after" when r.TryDuration(value, name, positive: true, out var stallAfter):
                    config = config with { StallAfter = stallAfter };
                    break;
                case "on_stall" when r.TryChoice(value, name, StallActions, out var onStall):
                    config = config with { OnStall = onStall };
                    break;
                case "alert_reminder" when r.TryDuration(value, name, positive: false, out var reminder):
                    config = config with { AlertReminder = reminder == TimeSpan.Zero ? null : reminder };
                    break;
                case "defaults":
                    defaults = ReadDefaults(value, basis, r, out defaultAfter);
                    break;
                case "alerts":
                    config = config with { Alerts = AlertReader.Read(value, r) };
                    break;
                case "jobs":
                    jobs = new YamlEntry(key, value);
                    break;
                case var known when TopKeys.Contains(known):
                    // Its value was reported by the Try method of its case.
                    break;
                default:
                    r.UnknownKey(key, TopKeys, where: null, hint: key.Value == "<<" ? "merge keys are not supported; use defaults:" : null);
                    break;
            }
        }

        var context = new JobContext(config.TimeZone, zone, defaults, defaultAfter, directory);
        var declared = jobs is null ? [] : ReadJobs(jobs.Value, context, r);
        DependencyChecker.Check(declared, errors);

        return errors.Count == 0
            ? config with { Defaults = defaults, Jobs = [.. declared.Select(j => j.Definition!)] }
            : null;
    }

    private static List<DeclaredJob> ReadJobs(YamlNode node, JobContext context, NodeReader r)
    {
        if (node is YamlScalar { IsNull: true })
        {
            return [];
        }

        if (node is YamlSequence)
        {
            r.Error(node, "jobs", "expected a mapping of job name to job (name: { schedule: ..., run: ... }), got a list");
            return [];
        }

        return r.Mapping(node, "jobs") is { } map
            ? [.. map.Entries.Select(entry => JobReader.Read(entry, context, r))]
            : [];
    }

    private static JobPolicies ReadDefaults(YamlNode node, JobPolicies basis, NodeReader r, out IReadOnlyList<YamlScalar>? after)
    {
        after = null;
        if (node is YamlScalar { IsNull: true } || r.Mapping(node, "defaults") is not { } map)
        {
            return basis;
        }

        var entries = new List<YamlEntry>();
        foreach (var entry in map.Entries)
        {
            if (PolicyReader.Keys.Contains(entry.Key.Value))
            {
                entries.Add(entry);
            }
            else
            {
                r.UnknownKey(entry.Key, PolicyReader.Keys, "in defaults",
                    JobOnlyKeys.Contains(entry.Key.Value) ? "defaults take policy keys only; set it on each job" : null);
            }
        }

        return PolicyReader.Apply(basis, entries, r, out after);
    }

    private static string? ReadStorage(YamlNode node, NodeReader r)
    {
        if (node is YamlScalar { IsNull: true } || !r.TryName(node, "storage", out var url))
        {
            return null;
        }

        if (!url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            r.Error(node, "storage", "expected a postgres:// URL (leave storage out for the embedded SQLite ledger)");
            return null;
        }

        return url;
    }

    private static ServerConfig ReadServer(YamlNode node, NodeReader r)
    {
        var server = new ServerConfig();
        if (node is YamlScalar { IsNull: true } || r.Mapping(node, "server") is not { } map)
        {
            return server;
        }

        foreach (var (key, value) in map.Entries)
        {
            var path = $"server.{key.Value}";
            switch (key.Value)
            {
                case "listen" when r.TryName(value, path, out var listen):
                    if (IsHostPort(listen))
                    {
                        server = server with { Listen = listen };
                    }
                    else
                    {
                        r.Error(value, path, $"\"{listen}\" is not host:port (e.g. {VigilConfig.DefaultListen})");
                    }

                    break;
                case "token_env" when r.TryName(value, path, out var tokenEnv):
                    if (Placeholders.IsValidName(tokenEnv))
                    {
                        server = server with { TokenEnv = tokenEnv };
                    }
                    else
                    {
                        r.Error(value, path, $"\"{tokenEnv}\" is not a valid environment variable name");
                    }

                    break;
                case "listen" or "token_env":
                    break;
                default:
                    r.UnknownKey(key, ServerKeys, "in server");
                    break;
            }
        }

        return server;
    }

    private static MetricsConfig ReadMetrics(YamlNode node, NodeReader r)
    {
        var metrics = new MetricsConfig();
        if (node is YamlScalar { IsNull: true } || r.Mapping(node, "metrics") is not { } map)
        {
            return metrics;
        }

        foreach (var (key, value) in map.Entries)
        {
            var path = $"metrics.{key.Value}";
            switch (key.Value)
            {
                case "otlp_endpoint" when r.TryName(value, path, out var url):
                    if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0)
                    {
                        metrics = metrics with { OtlpEndpoint = uri };
                    }
                    else
                    {
                        r.Error(value, path, $"\"{url}\" is not an absolute http:// or https:// URL (e.g. http://127.0.0.1:4318)");
                    }

                    break;
                case "otlp_interval" when r.TryDuration(value, path, positive: true, out var interval):
                    metrics = metrics with { OtlpInterval = interval };
                    break;
                case "otlp_endpoint" or "otlp_interval":
                    break;
                default:
                    r.UnknownKey(key, MetricsKeys, "in metrics");
                    break;
            }
        }

        return metrics;
    }

    /// <summary><c>host:port</c> with a port in 0-65535 (0: any free port); an IPv6 host is written in brackets (<c>[::1]:7878</c>).</summary>
    internal static bool IsHostPort(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 0 or > 65535)
        {
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            return IPAddress.TryParse(host[1..^1], out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        }

        return !host.Any(c => c is ':' or '/' or '[' or ']' || char.IsWhiteSpace(c));
    }
}
