using Grove.Client;
using System.CommandLine;
using Grove.Cli.Backend;
using Grove.Cli.Output;

namespace Grove.Cli.Commands;

/// <summary><c>grove keys [list|add|rm]</c>: your API keys on the server; a new key's secret is printed once.</summary>
internal static class KeysCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("keys", "List, create and revoke your API keys on a Grove server.");
        var list = new Command("list", "List your API keys (without secrets).");
        app.SetAction(command, ListAsync);
        app.SetAction(list, ListAsync);

        var name = new Argument<string>("name") { Description = "What the key is for, e.g. ci." };
        var days = new Option<int?>("--expires-in-days") { Description = "Days until the key stops working (default: never).", HelpName = "days" };
        var add = new Command("add", "Create an API key; its secret is printed once (use it as GROVE_TOKEN or GroveClientOptions.ApiKey).") { name, days };
        app.SetAction(add, async (s, r, ct) =>
        {
            using var client = BackendFactory.OpenClient(s.RequireServer("keys add"), s.Host);
            DateTimeOffset? expires = r.GetValue(days) is { } d ? TimeProvider.System.GetUtcNow().AddDays(d) : null;
            var key = await client.CreateApiKeyAsync(r.GetValue(name)!, expires, ct);
            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("id", key.Id);
                    w.WriteString("name", key.Name);
                    w.WriteString("key", key.Key);
                    if (key.ExpiresAt is { } x)
                    {
                        w.WriteNumber("expiresAt", x.ToUnixTimeMilliseconds());
                    }

                    w.WriteEndObject();
                });
            }
            else
            {
                s.Out.WriteLine(key.Key);
                s.Error.WriteLine($"created key {key.Id} ({TerminalText.Clean(key.Name)}); the secret above is shown once");
            }

            return ExitCodes.Ok;
        });

        var id = new Argument<string>("id") { Description = "The key's id (from grove keys)." };
        var rm = new Command("rm", "Revoke an API key.") { id };
        app.SetAction(rm, async (s, r, ct) =>
        {
            using var client = BackendFactory.OpenClient(s.RequireServer("keys rm"), s.Host);
            await client.DeleteApiKeyAsync(r.GetValue(id)!, ct);
            s.Out.WriteLine($"revoked key {TerminalText.Clean(r.GetValue(id)!)}");
            return ExitCodes.Ok;
        });

        command.Subcommands.Add(list);
        command.Subcommands.Add(add);
        command.Subcommands.Add(rm);
        return command;
    }

    private static async Task<int> ListAsync(CommandSession s, ParseResult r, CancellationToken ct)
    {
        using var client = BackendFactory.OpenClient(s.RequireServer("keys"), s.Host);
        var keys = await client.ListApiKeysAsync(ct);
        if (s.Json)
        {
            JsonText.WriteLine(s.Out, w =>
            {
                w.WriteStartArray();
                foreach (var k in keys)
                {
                    w.WriteStartObject();
                    w.WriteString("id", k.Id);
                    w.WriteString("name", k.Name);
                    w.WriteString("user", k.User);
                    w.WriteNumber("created", k.Created.ToUnixTimeMilliseconds());
                    if (k.ExpiresAt is { } x)
                    {
                        w.WriteNumber("expiresAt", x.ToUnixTimeMilliseconds());
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return ExitCodes.Ok;
        }

        s.Out.WriteLine($"{"ID",-26}  {"NAME",-16}  {"CREATED",-16}  EXPIRES");
        foreach (var k in keys)
        {
            var expires = k.ExpiresAt is { } x ? ObjectTable.Time(x.ToUnixTimeMilliseconds()) : "never";
            s.Out.WriteLine(TerminalText.Clean($"{k.Id,-26}  {k.Name,-16}  {ObjectTable.Time(k.Created.ToUnixTimeMilliseconds()),-16}  {expires}"));
        }

        return ExitCodes.Ok;
    }
}
