namespace Vigil.Jobs;

/// <summary>What a job does when it runs: a command, an HTTP call or an in-process handler.</summary>
public abstract record ActionSpec
{
    private protected ActionSpec()
    {
    }

    /// <summary>A short kind name for listings: <c>command</c>, <c>http</c> or <c>handler</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>
    /// Whether the action can outlive the daemon process. Only commands can (under the run shim);
    /// HTTP calls and in-process handlers always drain on stop.
    /// </summary>
    public virtual bool CanDetach => false;
}

/// <summary>Runs a program: argv, no shell unless <see cref="Shell"/> is set.</summary>
public sealed record CommandAction : ActionSpec
{
    /// <summary>The program and its arguments. With <see cref="Shell"/>, a single string run by <c>/bin/sh -c</c>.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>The working directory (relative paths are resolved against the config file's directory).</summary>
    public string? Cwd { get; init; }

    /// <summary>Extra environment variables. <c>${VAR}</c> in values is expanded from the daemon's environment.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Run through <c>/bin/sh -c</c> (opt-in).</summary>
    public bool Shell { get; init; }

    /// <inheritdoc />
    public override string Kind => "command";

    /// <inheritdoc />
    public override bool CanDetach => true;
}

/// <summary>Calls an HTTP endpoint.</summary>
public sealed record HttpAction : ActionSpec
{
    /// <summary>GET, POST, PUT, PATCH or DELETE.</summary>
    public string Method { get; init; } = "GET";

    /// <summary>The absolute http(s) URL. <c>${VAR}</c> is expanded from the daemon's environment.</summary>
    public required string Url { get; init; }

    /// <summary>Request headers. <c>${VAR}</c> in values is expanded from the daemon's environment.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The request body, sent as is.</summary>
    public string? Body { get; init; }

    /// <summary>The status codes that count as success; empty means any 2xx.</summary>
    public IReadOnlyList<int> ExpectStatus { get; init; } = [];

    /// <inheritdoc />
    public override string Kind => "http";
}

/// <summary>An in-process <see cref="Supervision.IJobHandler"/> registered by name by an embedding application.</summary>
public sealed record HandlerAction : ActionSpec
{
    /// <summary>The registered handler's name.</summary>
    public required string Name { get; init; }

    /// <inheritdoc />
    public override string Kind => "handler";
}
