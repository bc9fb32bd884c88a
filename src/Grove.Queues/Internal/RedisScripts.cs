using System.Security.Cryptography;
using StackExchange.Redis;

namespace Grove.Queues.Internal;

/// <summary>Runs the queue's scripts by their SHA-1 (EVALSHA), loading one with EVAL when the server does not know it.</summary>
/// <remarks>
/// Note that the client's own lookup of a script given as text hashes and compares the whole text (2–4 KB here) on
/// every call: a profile of 16 consumers put that among the bench process's top user-space costs.
/// </remarks>
internal static class RedisScripts
{
    // Note that the scripts are constants, so they are keyed by reference: no text is hashed or compared per call.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> Hashes = new(ReferenceEqualityComparer.Instance);

    /// <summary>Runs <paramref name="script"/> (one of the constants of <see cref="RedisQueueScripts"/>).</summary>
    public static async Task<RedisResult> EvaluateAsync(IDatabase db, string script, RedisKey[] keys, RedisValue[]? values = null)
    {
        try
        {
            return await RunAsync(db, script, keys, values, byText: false);
        }
        catch (RedisServerException e) when (Forgot(e))
        {
            return await RunAsync(db, script, keys, values, byText: true);
        }
    }

    /// <summary>
    /// Runs <paramref name="script"/> once, by its SHA-1 or (<paramref name="byText"/>, after <see cref="Forgot"/>) by
    /// its text: for a caller that awaits anyway and catches <see cref="Forgot"/> itself (a message's three scripts; no
    /// task of its own in between).
    /// </summary>
    public static Task<RedisResult> RunAsync(IDatabase db, string script, RedisKey[] keys, RedisValue[]? values, bool byText) =>
        byText ? db.ScriptEvaluateAsync(script, keys, values)
            : db.ScriptEvaluateAsync(Hashes.GetOrAdd(script, static s => SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(s))), keys, values);

    /// <summary>Whether the server answered that it does not know the script (restarted or flushed): run it again by its text.</summary>
    public static bool Forgot(RedisServerException e) => e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal);
}
