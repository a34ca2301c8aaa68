using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Supervision;

/// <summary>
/// The processes of one command run: the child, which leads its own session and process group, and
/// everything it started, including descendants that left the group with their own <c>setsid</c>.
/// </summary>
/// <remarks>
/// <para>
/// Members are found in <c>/proc</c>: processes in the child's group or session, plus every descendant
/// by parent links, plus every process seen in an earlier look (by pid and start time, so a reused pid
/// is never mistaken for a member). Remembering matters: once a parent dies its children are
/// re-parented to init and the parent link that led to them is gone.
/// </para>
/// <para>
/// The group is signalled with <c>kill(-pgid)</c> only while the child has not been reaped: until
/// then its pid, and so the group id, cannot be reused by an unrelated process. Reaping happens under
/// the same lock as signalling.
/// </para>
/// </remarks>
internal sealed unsafe class ProcessTree
{
    private const int MaxKillRounds = 200;

    private readonly int _leader;
    private readonly ulong _leaderStart;
    private readonly Dictionary<int, ulong> _seen = [];
    private readonly Lock _lock = new();
    private readonly bool _foreign;
    private bool _leaderReaped;

    /// <summary>Tracks the tree of <paramref name="leader"/>, a child just started in its own session.</summary>
    public ProcessTree(int leader)
    {
        _leader = leader;
        _leaderStart = ProcStat.Read(leader)?.StartTime ?? 0;
        _seen[leader] = _leaderStart;
    }

    private ProcessTree(int leader, ulong leaderStart)
    {
        _leader = leader;
        _leaderStart = leaderStart;
        _seen[leader] = leaderStart;
        _foreign = true;
    }

    /// <summary>
    /// Tracks the tree of a session leader that is not this process's child (a command run by a run
    /// supervisor), identified by its pid and start time as the supervisor recorded them.
    /// </summary>
    /// <remarks>
    /// Another process reaps the leader, so this one cannot know when its pid, and so its group id,
    /// is free for reuse: the group is never signalled as a whole, each member is signalled by pid
    /// (members are still found by group, session and parent links, each checked by start time).
    /// </remarks>
    public static ProcessTree Adopt(int leader, ulong leaderStart) => new(leader, leaderStart);

    /// <summary>
    /// Kills every process of this user whose environment holds <paramref name="entry"/>
    /// (<c>NAME=value</c>), within a bounded number of rounds; returns how many were found.
    /// </summary>
    /// <remarks>
    /// For a command whose pid was never recorded (its run supervisor died between starting it and
    /// writing <c>state.json</c>): every command carries its run's <c>VIGIL_RESULT_FILE</c>, a path
    /// no other run shares, and its descendants inherit it. <c>/proc/PID/environ</c> is the
    /// environment a process was started with; one started with a scrubbed environment is not found.
    /// </remarks>
    public static int KillCarrying(string entry)
    {
        var needle = Encoding.UTF8.GetBytes(entry + "\0");
        var found = new HashSet<(int Pid, ulong Start)>();
        for (var round = 0; round < MaxKillRounds; round++)
        {
            var alive = Carrying(needle);
            if (alive.Count == 0)
            {
                break;
            }

            // Each pid is checked against its start time just before it is signalled: one that
            // exited since its environment was read may be another process's now.
            foreach (var process in alive)
            {
                if (ProcStat.Read(process.Pid)?.StartTime == process.StartTime)
                {
                    found.Add((process.Pid, process.StartTime));
                    Libc.kill(process.Pid, Libc.SigStop);
                }
            }

            foreach (var process in alive)
            {
                // A stopped process cannot exit by itself, so its pid is still its own.
                if (found.Contains((process.Pid, process.StartTime)))
                {
                    Libc.kill(process.Pid, Libc.SigKill);
                }
            }

            Thread.Sleep(Math.Min(round + 1, 10));
        }

        return found.Count;
    }

    /// <summary>The live processes (not this one) whose start-up environment holds <paramref name="needle"/> as a whole entry.</summary>
    private static List<ProcStat> Carrying(byte[] needle)
    {
        var self = Environment.ProcessId;
        var carrying = new List<ProcStat>();
        foreach (var process in ProcStat.ReadAll())
        {
            if (process.Pid == self || process.Pid <= 1 || process.IsGone)
            {
                continue;
            }

            byte[] environment;
            try
            {
                environment = File.ReadAllBytes($"/proc/{process.Pid}/environ");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            var at = environment.AsSpan().IndexOf(needle);
            while (at > 0 && environment[at - 1] != 0)
            {
                var next = environment.AsSpan(at + 1).IndexOf(needle);
                at = next < 0 ? -1 : at + 1 + next;
            }

            if (at >= 0)
            {
                carrying.Add(process);
            }
        }

        return carrying;
    }

    /// <summary>The child's pid, process group id and session id.</summary>
    public int Leader => _leader;

    /// <summary>The leader's start time (clock ticks since boot), as read when the tree was created.</summary>
    public ulong LeaderStart => _leaderStart;

    /// <summary>Blocks until the child exits, reaps it and returns its wait status (null if another waiter reaped it).</summary>
    public int? WaitForLeader()
    {
        // Wait without reaping, then reap under the lock: no signal to the group can race with the reap.
        var info = stackalloc byte[Libc.OpaqueSize];
        while (Libc.waitid(Libc.PPid, _leader, info, Libc.WExited | Libc.WNoWait) != 0
            && Marshal.GetLastPInvokeError() == Libc.EIntr)
        {
        }

        lock (_lock)
        {
            int status;
            var reaped = Libc.waitpid(_leader, &status, Libc.WNoHang);
            _leaderReaped = true;
            return reaped == _leader ? status : null;
        }
    }

    /// <summary>Sends SIGTERM to the process group and to every member that left it.</summary>
    public void Terminate()
    {
        lock (_lock)
        {
            Send(Members(), Libc.SigTerm);
        }
    }

    /// <summary>
    /// Sends SIGKILL to every member until none is left, within a bounded number of rounds.
    /// Returns whether the tree is gone.
    /// </summary>
    public bool KillAll()
    {
        for (var round = 0; round < MaxKillRounds; round++)
        {
            lock (_lock)
            {
                var alive = Members();
                if (alive.Count == 0)
                {
                    return true;
                }

                // Freeze first: a stopped process cannot fork, and its children keep it as their parent
                // while we look again for any child forked before the stop landed.
                Send(alive, Libc.SigStop);
                for (var look = 0; look < 8; look++)
                {
                    var again = Members();
                    var grew = again.Count > alive.Count;
                    alive = again;
                    if (!grew)
                    {
                        break;
                    }

                    Send(alive, Libc.SigStop);
                }

                Send(alive, Libc.SigKill);
            }

            // Give the kernel a moment to tear the killed processes down before looking again.
            Thread.Sleep(Math.Min(round + 1, 10));
        }

        lock (_lock)
        {
            return Members().Count == 0;
        }
    }

    /// <summary>The live members of the tree, remembered for later looks. Call under the lock.</summary>
    private List<ProcStat> Members()
    {
        var all = ProcStat.ReadAll();
        var self = Environment.ProcessId;

        // After the child is reaped its pid may be reused; a process now holding it with another start
        // time means group and session ids equal to that pid are no longer ours.
        var idsAreOurs = !all.Exists(p => p.Pid == _leader && p.StartTime != _leaderStart);
        var members = new Dictionary<int, ProcStat>();
        var queue = new Queue<ProcStat>();
        foreach (var process in all)
        {
            var seenBefore = _seen.TryGetValue(process.Pid, out var start) && start == process.StartTime;
            var inGroup = idsAreOurs
                && (process.GroupId == _leader || process.SessionId == _leader)
                && process.StartTime >= _leaderStart;
            if ((seenBefore || inGroup) && members.TryAdd(process.Pid, process))
            {
                queue.Enqueue(process);
            }
        }

        var children = all.ToLookup(p => p.ParentPid);
        while (queue.TryDequeue(out var parent))
        {
            foreach (var child in children[parent.Pid])
            {
                if (members.TryAdd(child.Pid, child))
                {
                    queue.Enqueue(child);
                }
            }
        }

        var alive = new List<ProcStat>(members.Count);
        foreach (var member in members.Values)
        {
            if (member.Pid == self || member.Pid <= 1)
            {
                continue;
            }

            _seen[member.Pid] = member.StartTime;
            if (!member.IsGone)
            {
                alive.Add(member);
            }
        }

        return alive;
    }

    /// <summary>Signals the group (while its id is certainly ours) and each member the group signal does not reach.</summary>
    private void Send(List<ProcStat> members, int signal)
    {
        var groupSignalled = !_foreign && !_leaderReaped && Libc.kill(-_leader, signal) == 0;
        foreach (var member in members)
        {
            if (!groupSignalled || member.GroupId != _leader)
            {
                Libc.kill(member.Pid, signal);
            }
        }
    }
}
