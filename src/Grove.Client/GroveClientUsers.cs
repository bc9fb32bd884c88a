using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>Users, groups and API keys through a <see cref="GroveClient"/> (admins; each user their own keys).</summary>
public static class GroveClientUsers
{
    extension(GroveClient client)
    {
        /// <summary>All users (admins see everyone).</summary>
        public Task<IReadOnlyList<GroveUser>> ListUsersAsync(CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Get, "users"), e => Wire.List(e, GroveUser.FromJson), ct);

        /// <summary>Creates a user (admin only).</summary>
        public Task<GroveUser> CreateUserAsync(string name, string password, IEnumerable<string>? groups = null, bool admin = false, CancellationToken ct = default)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(password);
            var body = JsonBody.Create(w =>
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteString("password", password);
                WriteStrings(w, "groups", groups);
                w.WriteBoolean("admin", admin);
                w.WriteEndObject();
            });
            return client.SendJsonAsync(client.Request(HttpMethod.Post, "users", body), GroveUser.FromJson, ct);
        }

        /// <summary>Deletes a user (admin only).</summary>
        public Task DeleteUserAsync(string name, CancellationToken ct = default) =>
            client.SendEmptyAsync(client.Request(HttpMethod.Delete, "users/" + Uri.EscapeDataString(name)), ct);

        /// <summary>
        /// Changes a password: your own with <paramref name="oldPassword"/> (a wrong one is <c>forbidden</c> and counts
        /// as a failed login), or anyone's as an admin (without it). Tokens already issued keep working until they expire.
        /// </summary>
        public Task ChangePasswordAsync(string name, string? oldPassword, string newPassword, CancellationToken ct = default)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(newPassword);
            var body = JsonBody.Create(w =>
            {
                w.WriteStartObject();
                if (oldPassword is not null)
                {
                    w.WriteString("old", oldPassword);
                }

                w.WriteString("password", newPassword);
                w.WriteEndObject();
            });
            return client.SendEmptyAsync(client.Request(HttpMethod.Post, "users/" + Uri.EscapeDataString(name) + "/password", body), ct);
        }

        /// <summary>All groups.</summary>
        public Task<IReadOnlyList<GroveGroup>> ListGroupsAsync(CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Get, "groups"), e => Wire.List(e, GroveGroup.FromJson), ct);

        /// <summary>Creates a group with its members (admin only).</summary>
        public Task<GroveGroup> CreateGroupAsync(string name, IEnumerable<string>? members = null, CancellationToken ct = default)
        {
            ArgumentNullException.ThrowIfNull(name);
            var body = JsonBody.Create(w =>
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                WriteStrings(w, "members", members);
                w.WriteEndObject();
            });
            return client.SendJsonAsync(client.Request(HttpMethod.Post, "groups", body), GroveGroup.FromJson, ct);
        }

        /// <summary>Deletes a group (admin only).</summary>
        public Task DeleteGroupAsync(string name, CancellationToken ct = default) =>
            client.SendEmptyAsync(client.Request(HttpMethod.Delete, "groups/" + Uri.EscapeDataString(name)), ct);

        /// <summary>Creates an API key acting as the signed-in user; its secret is in the answer only.</summary>
        public Task<GroveNewApiKey> CreateApiKeyAsync(string name, DateTimeOffset? expiresAt = null, CancellationToken ct = default)
        {
            ArgumentNullException.ThrowIfNull(name);
            var body = JsonBody.Create(w =>
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                if (expiresAt is { } e)
                {
                    w.WriteNumber("expiresAt", e.ToUnixTimeMilliseconds());
                }

                w.WriteEndObject();
            });
            return client.SendJsonAsync(client.Request(HttpMethod.Post, "keys", body), GroveNewApiKey.FromJson, ct);
        }

        /// <summary>Your API keys, without their secrets.</summary>
        public Task<IReadOnlyList<GroveApiKey>> ListApiKeysAsync(CancellationToken ct = default) =>
            client.SendJsonAsync(client.Request(HttpMethod.Get, "keys"), e => Wire.List(e, GroveApiKey.FromJson), ct);

        /// <summary>Revokes an API key.</summary>
        public Task DeleteApiKeyAsync(string id, CancellationToken ct = default) =>
            client.SendEmptyAsync(client.Request(HttpMethod.Delete, "keys/" + Uri.EscapeDataString(id)), ct);

        private static void WriteStrings(System.Text.Json.Utf8JsonWriter w, string name, IEnumerable<string>? values)
        {
            w.WriteStartArray(name);
            foreach (var v in values ?? [])
            {
                w.WriteStringValue(v);
            }

            w.WriteEndArray();
        }
    }
}
