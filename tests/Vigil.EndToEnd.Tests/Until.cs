namespace Vigil.EndToEnd.Tests;

/// <summary>Waits on a condition in the outside world (a file a command writes, a process gone), polled, with a deadline only a failing test reaches.</summary>
internal static class Until
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan patience)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(patience.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"waited {patience.TotalSeconds}s for {what}");
            }

            await Task.Delay(PollInterval);
        }
    }
}
