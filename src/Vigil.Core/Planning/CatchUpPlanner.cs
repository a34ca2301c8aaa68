using Vigil.Jobs;
using Vigil.Scheduling;

namespace Vigil.Planning;

/// <summary>
/// Decides, for the slots of one job that are due, which run and which are recorded missed.
/// Pure: slots, the policy and "now" in, decisions out.
/// </summary>
/// <remarks>
/// <para>Slots that fell due before this incarnation started fell in downtime; the others fell due
/// while the daemon ran (normally one at a time, several only when the loop was held up).</para>
/// <list type="bullet">
/// <item><c>latest</c>: the newest due slot runs if it is at most <c>grace</c> late; every other due slot is missed.</item>
/// <item><c>all</c>: the newest <c>max_catch_up</c> due slots run, however late; older ones are missed.</item>
/// <item><c>none</c>: downtime slots are all missed; a slot that fell due while running follows <c>latest</c>.</item>
/// </list>
/// Every slot gets exactly one decision, so every slot gets a row (G1).
/// </remarks>
internal static class CatchUpPlanner
{
    public static void Decide(
        IReadOnlyList<DateTimeOffset> due,
        JobPolicies policies,
        TimeSpan grace,
        DateTimeOffset now,
        DateTimeOffset incarnationStart,
        List<SlotDecision> decisions)
    {
        if (due.Count == 0)
        {
            return;
        }

        var newest = due.Count - 1;
        switch (policies.CatchUp)
        {
            case CatchUpPolicy.All:
            {
                var firstRun = Math.Max(0, due.Count - Math.Max(policies.MaxCatchUp, 1));
                for (var i = 0; i < due.Count; i++)
                {
                    decisions.Add(i >= firstRun
                        ? SlotDecision.Run(due[i], Trigger(due[i], incarnationStart, now, grace))
                        : SlotDecision.Missed(due[i], $"more than max_catch_up ({policies.MaxCatchUp}) slots were due at once"));
                }

                return;
            }

            case CatchUpPolicy.None:
                for (var i = 0; i < due.Count; i++)
                {
                    if (due[i] < incarnationStart)
                    {
                        decisions.Add(SlotDecision.Missed(due[i], "the daemon was down at the slot (catch_up: none)"));
                    }
                    else
                    {
                        decisions.Add(Latest(due, i, newest, grace, now, incarnationStart));
                    }
                }

                return;

            default:
                for (var i = 0; i < due.Count; i++)
                {
                    decisions.Add(Latest(due, i, newest, grace, now, incarnationStart));
                }

                return;
        }
    }

    /// <summary>
    /// Decides about a slot an earlier incarnation materialized but never started (it waited for a
    /// concurrency slot, a session or the overlap queue when that process stopped). It fell due in
    /// downtime like the slots planned after it, so <c>catch_up</c> applies to it as well; without
    /// this, a slot left pending would run however late, and ahead of the newer slot catch-up chose.
    /// Returns why it is missed, or null when it may still run.
    /// </summary>
    /// <param name="slot">The leftover slot.</param>
    /// <param name="latestPlanned">The job's latest materialized slot (the planner's cursor).</param>
    /// <param name="policies">The job's policies.</param>
    /// <param name="grace">The job's effective grace.</param>
    /// <param name="now">Now.</param>
    public static string? DecideLeftover(DateTimeOffset slot, DateTimeOffset latestPlanned, JobPolicies policies, TimeSpan grace, DateTimeOffset now) =>
        LeftoverStartBy(slot, latestPlanned, policies, grace) is { } startBy && now >= startBy
            ? LeftoverReason(slot, policies, grace, now)
            : null;

    /// <summary>
    /// The instant from which a leftover slot (see <see cref="DecideLeftover"/>) may no longer start,
    /// or null when it may start however late (<c>catch_up: all</c>).
    /// </summary>
    public static DateTimeOffset? LeftoverStartBy(DateTimeOffset slot, DateTimeOffset latestPlanned, JobPolicies policies, TimeSpan grace) =>
        policies.CatchUp switch
        {
            CatchUpPolicy.All => null,
            CatchUpPolicy.None => DateTimeOffset.MinValue,
            _ => latestPlanned > slot ? DateTimeOffset.MinValue : slot + grace + TimeSpan.FromTicks(1),
        };

    /// <summary>Why a leftover slot is recorded missed at <paramref name="now"/>.</summary>
    public static string LeftoverReason(DateTimeOffset slot, JobPolicies policies, TimeSpan grace, DateTimeOffset now)
    {
        if (policies.CatchUp == CatchUpPolicy.None)
        {
            return "the daemon was down before the slot could start (catch_up: none)";
        }

        var lateness = now - slot;
        return lateness > grace
            ? $"the daemon was down before the slot could start and came back {Duration.Format(Truncate(lateness))} later, past grace {Duration.Format(grace)}"
            : "the daemon was down before the slot could start; a later slot ran instead (catch_up: latest)";
    }

    private static SlotDecision Latest(IReadOnlyList<DateTimeOffset> due, int index, int newest, TimeSpan grace, DateTimeOffset now, DateTimeOffset incarnationStart)
    {
        var slot = due[index];

        // An earlier slot gives way to the newest only if the newest runs; when the newest is past
        // grace too, no later slot ran and each is missed for its own lateness.
        if (index != newest && now - due[newest] <= grace)
        {
            return SlotDecision.Missed(slot, slot < incarnationStart
                ? "the daemon was down at the slot; a later slot ran instead (catch_up: latest)"
                : "a later slot was due at the same time (catch_up: latest)");
        }

        var lateness = now - slot;
        if (lateness > grace)
        {
            return SlotDecision.Missed(slot, slot < incarnationStart
                ? $"the daemon was down at the slot and came back {Duration.Format(Truncate(lateness))} later, past grace {Duration.Format(grace)}"
                : $"the slot was reached {Duration.Format(Truncate(lateness))} late, past grace {Duration.Format(grace)}");
        }

        return SlotDecision.Run(slot, Trigger(slot, incarnationStart, now, grace));
    }

    private static Ledger.RunTrigger Trigger(DateTimeOffset slot, DateTimeOffset incarnationStart, DateTimeOffset now, TimeSpan grace) =>
        slot < incarnationStart ? Ledger.RunTrigger.CatchUp : Ledger.RunTrigger.Schedule;

    private static TimeSpan Truncate(TimeSpan value) => TimeSpan.FromSeconds(Math.Floor(value.TotalSeconds));
}
