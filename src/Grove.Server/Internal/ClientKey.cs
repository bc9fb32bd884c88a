namespace Grove.Server.Internal;

/// <summary>Who a request counts against for rate limits: the signed-in user, else the client's address.</summary>
internal sealed record ClientKey(string Value);
