using Vigil.Configuration.Yaml;
using Vigil.Jobs;

namespace Vigil.Configuration.Reading;

/// <summary>Reads a job's <c>run:</c> mapping into a <see cref="CommandAction"/>, <see cref="HttpAction"/> or <see cref="HandlerAction"/>.</summary>
internal static class ActionReader
{
    private static readonly IReadOnlyList<string> RunKeys = ["command", "http", "handler", "cwd", "env", "shell"];
    private static readonly IReadOnlyList<string> KindKeys = ["command", "http", "handler"];
    private static readonly IReadOnlyList<string> CommandOnlyKeys = ["cwd", "env", "shell"];
    private static readonly IReadOnlyList<string> HttpKeys = ["method", "url", "headers", "body", "expect_status"];
    private static readonly IReadOnlyList<string> Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

    /// <summary>The action, or null when <paramref name="node"/> had errors (reported).</summary>
    /// <param name="node">The value of <c>run:</c>.</param>
    /// <param name="configDirectory">Relative <c>cwd</c> values resolve against it; it is also the default <c>cwd</c>.</param>
    /// <param name="r">The reader errors go to.</param>
    public static ActionSpec? Read(YamlNode node, string configDirectory, NodeReader r)
    {
        if (r.Mapping(node, "run") is not { } run)
        {
            return null;
        }

        YamlEntry? kind = null;
        var ok = true;
        foreach (var entry in run.Entries)
        {
            if (!RunKeys.Contains(entry.Key.Value))
            {
                r.UnknownKey(entry.Key, RunKeys, "in run");
                ok = false;
            }
            else if (KindKeys.Contains(entry.Key.Value))
            {
                if (kind is null)
                {
                    kind = entry;
                }
                else
                {
                    r.Errors.Add(entry.Key, $"run: has both {kind.Key.Value}: and {entry.Key.Value}: (use one)");
                    ok = false;
                }
            }
        }

        if (kind is null)
        {
            r.Errors.Add(run, "run: needs one of command:, http: or handler:");
            return null;
        }

        if (kind.Key.Value != "command")
        {
            foreach (var entry in run.Entries.Where(e => CommandOnlyKeys.Contains(e.Key.Value)))
            {
                r.Errors.Add(entry.Key, $"run.{entry.Key.Value}: only applies to command:, not {kind.Key.Value}:");
                ok = false;
            }
        }

        ActionSpec? action = kind.Key.Value switch
        {
            "command" => ReadCommand(run, kind.Value, configDirectory, r),
            "http" => ReadHttp(kind.Value, r),
            _ => r.TryName(kind.Value, "run.handler", out var handler) ? new HandlerAction { Name = handler } : null,
        };
        return ok ? action : null;
    }

    private static CommandAction? ReadCommand(YamlMapping run, YamlNode commandNode, string configDirectory, NodeReader r)
    {
        var ok = true;
        var shell = false;
        if (run.Find("shell") is { } shellEntry)
        {
            ok &= r.TryBool(shellEntry.Value, "run.shell", out shell);
        }

        var argv = ReadArgv(commandNode, shell, r);
        ok &= argv is not null;

        var cwd = configDirectory;
        if (run.Find("cwd") is { } cwdEntry)
        {
            if (r.TryName(cwdEntry.Value, "run.cwd", out var written))
            {
                cwd = Path.GetFullPath(Path.Combine(configDirectory, written));
            }
            else
            {
                ok = false;
            }
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (run.Find("env") is { } envEntry)
        {
            ok &= ReadEnv(envEntry.Value, env, r);
        }

        return ok ? new CommandAction { Argv = argv!, Cwd = cwd, Env = env, Shell = shell } : null;
    }

    private static List<string>? ReadArgv(YamlNode node, bool shell, NodeReader r)
    {
        const string Path = "run.command";
        List<string> argv;
        var fromString = false;
        switch (node)
        {
            case YamlScalar { IsNull: false } scalar:
                argv = [scalar.Value];
                fromString = true;
                break;
            case YamlSequence list:
                argv = [];
                foreach (var item in list.Items)
                {
                    if (!r.TryString(item, Path, out var arg))
                    {
                        return null;
                    }

                    argv.Add(arg);
                }

                break;
            default:
                r.Error(node, Path, $"expected a list of strings (the program and its arguments), got {node.Describe()}");
                return null;
        }

        if (argv.Count == 0 || argv[0].Trim().Length == 0)
        {
            r.Error(node, Path, "the command is empty");
            return null;
        }

        if (shell && argv.Count > 1)
        {
            r.Error(node, Path, "shell: true needs the command as one string (e.g. command: \"make && ./deploy.sh\")");
            return null;
        }

        if (!shell && fromString && argv[0].Trim().Any(char.IsWhiteSpace))
        {
            r.Error(node, Path, "a command with spaces needs shell: true, or write it as a list (e.g. [\"echo\", \"hello\"])");
            return null;
        }

        return argv;
    }

    private static bool ReadEnv(YamlNode node, Dictionary<string, string> env, NodeReader r)
    {
        if (r.Mapping(node, "run.env") is not { } map)
        {
            return false;
        }

        var ok = true;
        foreach (var (key, value) in map.Entries)
        {
            var path = $"run.env.{key.Value}";
            if (!Placeholders.IsValidName(key.Value))
            {
                r.Errors.Add(key, $"run.env: \"{key.Value}\" is not a valid variable name (letters, digits and _, not starting with a digit)");
                ok = false;
            }
            else if (key.Value.StartsWith("VIGIL_", StringComparison.Ordinal))
            {
                r.Errors.Add(key, $"run.env: {key.Value} is set by Vigil for every run (VIGIL_ names are reserved)");
                ok = false;
            }
            else if (Templates.TryTemplate(value, path, r, out var text))
            {
                env[key.Value] = text;
            }
            else
            {
                ok = false;
            }
        }

        return ok;
    }

    private static HttpAction? ReadHttp(YamlNode node, NodeReader r)
    {
        if (r.Mapping(node, "run.http") is not { } http)
        {
            return null;
        }

        var ok = true;
        string? url = null;
        var method = "GET";
        string? body = null;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        List<int> expectStatus = [];
        foreach (var (key, value) in http.Entries)
        {
            var path = $"run.http.{key.Value}";
            switch (key.Value)
            {
                case "url":
                    ok &= Templates.TryHttpUrl(value, path, r, out url);
                    break;
                case "method":
                    if (!r.TryName(value, path, out var written))
                    {
                        ok = false;
                    }
                    else if (Methods.Contains(written.ToUpperInvariant()))
                    {
                        method = written.ToUpperInvariant();
                    }
                    else
                    {
                        r.Error(value, path, $"\"{written}\" is not one of {string.Join(", ", Methods)}");
                        ok = false;
                    }

                    break;
                case "headers":
                    ok &= ReadHeaders(value, headers, r);
                    break;
                case "body":
                    ok &= Templates.TryTemplate(value, path, r, out var text);
                    body = text;
                    break;
                case "expect_status":
                    ok &= ReadStatusCodes(value, path, expectStatus, r);
                    break;
                default:
                    r.UnknownKey(key, HttpKeys, "in run.http");
                    ok = false;
                    break;
            }
        }

        if (http.Find("url") is null)
        {
            r.Errors.Add(http, "run.http: needs url:");
            return null;
        }

        return ok ? new HttpAction { Method = method, Url = url!, Headers = headers, Body = body, ExpectStatus = expectStatus } : null;
    }

    private static bool ReadHeaders(YamlNode node, Dictionary<string, string> headers, NodeReader r)
    {
        if (r.Mapping(node, "run.http.headers") is not { } map)
        {
            return false;
        }

        var ok = true;
        foreach (var (key, value) in map.Entries)
        {
            if (key.Value.Length == 0 || key.Value.Any(c => c <= ' ' || c == ':' || c > '~'))
            {
                r.Errors.Add(key, $"run.http.headers: \"{key.Value}\" is not a valid header name");
                ok = false;
            }
            else if (headers.ContainsKey(key.Value))
            {
                r.Errors.Add(key, $"run.http.headers: duplicate header \"{key.Value}\" (header names ignore case)");
                ok = false;
            }
            else if (Templates.TryTemplate(value, $"run.http.headers.{key.Value}", r, out var text))
            {
                headers[key.Value] = text;
            }
            else
            {
                ok = false;
            }
        }

        return ok;
    }

    private static bool ReadStatusCodes(YamlNode node, string path, List<int> codes, NodeReader r)
    {
        IReadOnlyList<YamlNode> items = node is YamlSequence list ? list.Items : [node];
        var ok = true;
        foreach (var item in items)
        {
            if (!r.TryInt(item, path, min: 100, out var code))
            {
                ok = false;
            }
            else if (code > 599)
            {
                r.Error(item, path, $"{code} is not an HTTP status code (100-599)");
                ok = false;
            }
            else
            {
                codes.Add(code);
            }
        }

        return ok;
    }
}
