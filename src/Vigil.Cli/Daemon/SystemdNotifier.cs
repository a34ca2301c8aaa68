using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Vigil.Cli.Daemon;

/// <summary>
/// The sd_notify protocol, written against its documentation (sd_notify(3)): one datagram of
/// newline-separated <c>KEY=value</c> assignments to the Unix socket named by <c>$NOTIFY_SOCKET</c>,
/// a file system path or, when it starts with <c>@</c>, an abstract socket name.
/// </summary>
/// <remarks>
/// Without <c>$NOTIFY_SOCKET</c> (not started by systemd with <c>Type=notify</c>) there is no
/// notifier and nothing is sent. A failed send is not an error of the daemon: it is reported once
/// by the caller's log and otherwise ignored.
/// </remarks>
internal sealed class SystemdNotifier : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly UnixDomainSocketEndPoint _endpoint;
    private readonly Lock _sending = new();

    private SystemdNotifier(string address)
    {
        // An abstract address is a leading NUL byte followed by the name.
        _endpoint = new UnixDomainSocketEndPoint(address[0] == '@' ? "\0" + address[1..] : address);
    }

    /// <summary>The notifier for <c>$NOTIFY_SOCKET</c>, or null when it is not set.</summary>
    public static SystemdNotifier? FromEnvironment(Func<string, string?> environment)
    {
        var address = environment("NOTIFY_SOCKET");
        return string.IsNullOrEmpty(address) || (address[0] != '/' && address[0] != '@') ? null : new SystemdNotifier(address);
    }

    /// <summary>
    /// How often to send <c>WATCHDOG=1</c>: half of <c>$WATCHDOG_USEC</c> (systemd's advice), or null
    /// when the service has no watchdog or <c>$WATCHDOG_PID</c> names another process.
    /// </summary>
    public static TimeSpan? WatchdogInterval(Func<string, string?> environment, int processId)
    {
        if (!long.TryParse(environment("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var micros) || micros <= 0)
        {
            return null;
        }

        var pid = environment("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pid) && pid != processId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return TimeSpan.FromTicks(micros * 10 / 2);
    }

    /// <summary>Sends one datagram; false when it could not be sent.</summary>
    public bool Send(string assignments)
    {
        var bytes = Encoding.UTF8.GetBytes(assignments);
        lock (_sending)
        {
            try
            {
                return _socket.SendTo(bytes, SocketFlags.None, _endpoint) == bytes.Length;
            }
            catch (SocketException)
            {
                return false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    /// <summary>A <c>STATUS=</c> value: one line, as systemctl status shows it.</summary>
    public static string Status(string text) => "STATUS=" + text.ReplaceLineEndings(" ");

    public void Dispose() => _socket.Dispose();
}
