using System.Diagnostics;
using System.Globalization;

namespace Vigil.Cli.Bench;

/// <summary>What this process costs: resident memory from <c>/proc/self/status</c>, CPU time, the load average.</summary>
internal static class ProcessMeter
{
    /// <summary>Resident set size in MiB (<c>VmRSS</c>), or -1 where <c>/proc</c> is not available.</summary>
    public static double ResidentMegabytes() => StatusKilobytes("VmRSS:") / 1024.0;

    /// <summary>Peak resident set size in MiB (<c>VmHWM</c>), or -1 where <c>/proc</c> is not available.</summary>
    public static double PeakResidentMegabytes() => StatusKilobytes("VmHWM:") / 1024.0;

    /// <summary>User plus system CPU time of this process so far.</summary>
    public static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>The 1-minute load average (<c>/proc/loadavg</c>), or -1 where it is not available.</summary>
    public static double LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            var first = text.Split(' ', 2)[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return -1;
        }
    }

    private static long StatusKilobytes(string key)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    var digits = line.AsSpan(key.Length).Trim();
                    var space = digits.IndexOf(' ');
                    return long.Parse(space < 0 ? digits : digits[..space], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return -1024;
    }
}
