namespace Grove.Config;

/// <summary>Whether a request may go on, and if not, when the client should come back.</summary>
/// <param name="Allowed">True when under the limit.</param>
/// <param name="RetryAfter">For a refused request: a randomized wait (whole seconds, at least 1).</param>
public readonly record struct RequestDecision(bool Allowed, TimeSpan RetryAfter);
