namespace Grove.Identity;

/// <summary>A new API key, with the full key string shown this once.</summary>
/// <param name="Id">The key id.</param>
/// <param name="Name">The name its owner gave it.</param>
/// <param name="Key">The bearer key, <c>gk_&lt;id&gt;_&lt;secret&gt;</c>; only the secret's SHA-256 is stored.</param>
/// <param name="ExpiresAt">Expiry, ms since the Unix epoch, or null for none.</param>
public sealed record ApiKeyCreated(string Id, string Name, string Key, long? ExpiresAt)
{
    /// <summary>Prints the key without its secret.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Id = {Id}, Name = {Name}, Key = ***, ExpiresAt = {ExpiresAt}");
        return true;
    }
}
