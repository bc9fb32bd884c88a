using System.Diagnostics;

namespace Grove.Testing;

/// <summary>Waits on a condition with a deadline instead of sleeping.</summary>
public static class Poll
{
    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> after <paramref name="seconds"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what = "the condition", int seconds = 10)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException($"not within {seconds} s: {what}");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> after <paramref name="seconds"/>.</summary>
    public static Task UntilAsync(Func<bool> condition, string what = "the condition", int seconds = 10) =>
        UntilAsync(() => Task.FromResult(condition()), what, seconds);
}
