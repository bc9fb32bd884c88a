using System.Diagnostics;

namespace Grove.Server.Tests;

/// <summary>Waits on a condition with a deadline instead of sleeping.</summary>
internal static class Eventually
{
    public static async Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, string what, int seconds = 10)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException($"not within {seconds} s: {what}");
            }

            await Task.Delay(1);
        }

        return sw.Elapsed;
    }
}
