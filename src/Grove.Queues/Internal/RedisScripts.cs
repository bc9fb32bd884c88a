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
        var hash = Hashes.GetOrAdd(script, s => SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(s)));
        try
        {
            return await db.ScriptEvaluateAsync(hash, keys, values);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            // Note that a restarted or flushed server has forgotten the script: EVAL loads it again.
            return await db.ScriptEvaluateAsync(script, keys, values);
        }
    }
}
