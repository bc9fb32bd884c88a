using Grove.Client.Internal;

namespace Grove.Client;

public sealed partial class GroveClient
{
    /// <summary>
    /// Signs in with a user name and password and makes the new token this client's <see cref="Token"/>.
    /// Bad credentials throw <c>unauthorized</c>; too many failures throw <c>rate_limited</c> with a RetryAfter.
    /// </summary>
    public async Task<GroveLogin> LoginAsync(string user, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        var body = JsonBody.Create(w =>
        {
            w.WriteStartObject();
            w.WriteString("user", user);
            w.WriteString("password", password);
            w.WriteEndObject();
        });
        var request = new HttpRequestMessage(HttpMethod.Post, Url("auth/login")) { Content = body };
        var login = await SendJsonAsync(request, GroveLogin.FromJson, ct);
        Token = login.Token;
        return login;
    }

    /// <summary>Ends the session of the current token on the server (it stops working) and forgets it here.</summary>
    public async Task LogoutAsync(CancellationToken ct = default)
    {
        await SendEmptyAsync(Request(HttpMethod.Post, "auth/logout"), ct);
        Token = null;
    }

    /// <summary>Who the current credential belongs to; <c>unauthorized</c> when it is missing or no longer valid.</summary>
    public Task<GroveCaller> MeAsync(CancellationToken ct = default) =>
        SendJsonAsync(Request(HttpMethod.Get, "auth/me"), GroveCaller.FromJson, ct);
}
