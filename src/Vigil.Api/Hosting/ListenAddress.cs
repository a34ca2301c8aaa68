using System.Globalization;
using System.Net;

namespace Vigil.Api.Hosting;

/// <summary>A parsed <c>server.listen</c>: an IP address (or <c>localhost</c>) and a port (0: any free port).</summary>
public sealed record ListenAddress(IPAddress Address, int Port)
{
    /// <summary>Whether only this machine can connect (127.0.0.0/8 or ::1).</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    /// <summary>Parses <c>host:port</c>; the host is an IP address, <c>[v6]</c> or <c>localhost</c>.</summary>
    public static bool TryParse(string text, out ListenAddress? address, out string? error)
    {
        address = null;
        error = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"\"{text}\" is not host:port (e.g. 127.0.0.1:7878)";
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = new ListenAddress(IPAddress.Loopback, port);
            return true;
        }

        if (!IPAddress.TryParse(host, out var ip))
        {
            error = $"\"{host}\" is not an IP address or localhost (listen on 0.0.0.0 for every interface)";
            return false;
        }

        address = new ListenAddress(ip, port);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() =>
        Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"[{Address}]:{Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{Address}:{Port}");
}
