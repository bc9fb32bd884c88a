namespace Grove.Hooks;

/// <summary>
/// A hook on a directory: the committed changes of the chosen kinds under <see cref="Path"/> are POSTed to
/// <see cref="Url"/> (signed) or pushed into the queue at <see cref="Queue"/>, in revision order.
/// </summary>
/// <param name="Id">The hook's id.</param>
/// <param name="Path">The directory (or file) whose changes fire it.</param>
/// <param name="Events">The change kinds that fire it.</param>
/// <param name="Url">The webhook's URL (http or https), or null for a queue hook.</param>
/// <param name="Queue">The queue mount the events go into, or null for a webhook.</param>
/// <param name="Revision">The last revision delivered (or skipped as not matching).</param>
/// <param name="Failures">Failed attempts in a row at the current event.</param>
/// <param name="LastError">The last delivery error, or null after a success.</param>
/// <param name="LastAttempt">When delivery was last tried (Unix ms), or null.</param>
public sealed record Hook(string Id, string Path, IReadOnlySet<ChangeKind> Events, string? Url, string? Queue, long Revision, int Failures, string? LastError, long? LastAttempt);

/// <summary>A new hook and its signing secret (shown once; webhooks only).</summary>
/// <param name="Hook">The hook.</param>
/// <param name="Secret">The HMAC-SHA256 key of its signatures.</param>
public sealed record HookCreated(Hook Hook, string Secret);

/// <summary>A refused hook operation.</summary>
public sealed class HookException : GroveException
{
    /// <summary>Creates the exception.</summary>
    public HookException(string code, string message, Exception? inner = null)
        : base(code, message, inner)
    {
    }

    /// <inheritdoc/>
    public override int Status => Code == "not_found" ? 404 : 400;
}

/// <summary>How hooks deliver.</summary>
public sealed record HookOptions
{
    /// <summary>Time-out of one webhook call. Default 10 s.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first retry's delay; it doubles up to <see cref="MaxBackoff"/>. Default 200 ms.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between retries. Default 5 min.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether a background loop delivers (one node at a time, under a lease). Default true.</summary>
    public bool Background { get; init; } = true;
}
