using System.Diagnostics;

namespace Grove.Client.Tests.Logs;

/// <summary>Waits on a condition with a deadline instead of sleeping.</summary>
internal static class Until
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException($"not within {seconds} s: {what}");
            }

            await Task.Delay(2);
        }
    }

    public static Task HoldsAsync(Func<bool> condition, string what, int seconds = 30) =>
        HoldsAsync(() => Task.FromResult(condition()), what, seconds);
}
