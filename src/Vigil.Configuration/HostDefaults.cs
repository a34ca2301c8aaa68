using Vigil.Scheduling;

namespace Vigil.Configuration;

/// <summary>The host facts config defaults come from; tests pass fixed ones.</summary>
internal sealed record HostDefaults(string MachineName, string TimeZoneId)
{
    /// <summary>This host: its name and its zone's IANA name (UTC when it has none).</summary>
    public static HostDefaults Current()
    {
        var local = TimeZoneInfo.Local;
        var id = local.HasIanaId ? local.Id
            : TimeZoneInfo.TryConvertWindowsIdToIanaId(local.Id, out var iana) ? iana
            : "UTC";
        return new HostDefaults(Environment.MachineName, TimeZones.TryFind(id, out _, out _) ? id : "UTC");
    }
}
