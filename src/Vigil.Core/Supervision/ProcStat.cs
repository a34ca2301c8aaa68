namespace Vigil.Supervision;

/// <summary>One line of <c>/proc/PID/stat</c>: the fields that identify a process and its place in the tree.</summary>
/// <param name="Pid">The process id.</param>
/// <param name="State">R, S, D, T, Z (zombie), X (dead) ...</param>
/// <param name="ParentPid">The parent's pid (1 or a subreaper once the parent has died).</param>
/// <param name="GroupId">The process group id.</param>
/// <param name="SessionId">The session id.</param>
/// <param name="StartTime">Clock ticks since boot at which it started: with the pid, an identity that survives pid reuse.</param>
internal readonly record struct ProcStat(int Pid, char State, int ParentPid, int GroupId, int SessionId, ulong StartTime)
{
    /// <summary>Whether the process has exited (a zombie waiting for its parent counts as gone).</summary>
    public bool IsGone => State is 'Z' or 'X';

    /// <summary>Parses the text of a <c>stat</c> file, or returns null.</summary>
    public static ProcStat? Parse(string text)
    {
        // "pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
        //  cutime cstime priority nice num_threads itrealvalue starttime ..."; comm may hold spaces and parentheses.
        var open = text.IndexOf(" (", StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        if (open <= 0 || close < open || !int.TryParse(text.AsSpan(0, open), out var pid))
        {
            return null;
        }

        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        const int StartTimeIndex = 19;
        if (fields.Length <= StartTimeIndex || fields[0].Length != 1
            || !int.TryParse(fields[1], out var parent)
            || !int.TryParse(fields[2], out var group)
            || !int.TryParse(fields[3], out var session)
            || !ulong.TryParse(fields[StartTimeIndex], out var start))
        {
            return null;
        }

        return new ProcStat(pid, fields[0][0], parent, group, session, start);
    }

    /// <summary>Reads one process, or null when it no longer exists.</summary>
    public static ProcStat? Read(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Every process visible in <c>/proc</c>.</summary>
    public static List<ProcStat> ReadAll()
    {
        var all = new List<ProcStat>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory.AsSpan());
            if (name.Length > 0 && char.IsAsciiDigit(name[0]) && int.TryParse(name, out var pid) && Read(pid) is { } stat)
            {
                all.Add(stat);
            }
        }

        return all;
    }
}
