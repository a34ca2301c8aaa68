using Vigil.Ledger;

namespace Vigil.Planning;

/// <summary>What the planner does with one due slot: run it (a pending row) or record why not.</summary>
internal readonly record struct SlotDecision(DateTimeOffset Slot, RunState State, RunTrigger Trigger, string? Reason)
{
    public static SlotDecision Run(DateTimeOffset slot, RunTrigger trigger) => new(slot, RunState.Pending, trigger, null);

    public static SlotDecision Missed(DateTimeOffset slot, string reason) => new(slot, RunState.Missed, RunTrigger.Schedule, reason);
}
