using System.CommandLine;
using System.Text;
using Grove.Cli.Backend;
using Grove.Cli.Output;
using Grove.Client;

namespace Grove.Cli.Commands;

/// <summary>
/// <c>grove config get|publish|rm|ls|history|rollback|listen|export|import</c>: the config center, on a server with
/// <c>--server</c> or on the local data folder (through the same engine the server runs). Configs are named
/// <c>group/dataId</c> (a bare dataId is in <c>DEFAULT_GROUP</c>); <c>--tenant</c> picks a namespace.
/// </summary>
internal static partial class ConfigCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("config", "Read, publish and follow configs of the config center.");
        var tenant = new Option<string?>("--tenant") { Description = "The namespace (default: the default one).", HelpName = "name", Recursive = true };
        command.Options.Add(tenant);
        command.Subcommands.Add(Get(app, tenant));
        command.Subcommands.Add(Publish(app, tenant));
        command.Subcommands.Add(Remove(app, tenant));
        command.Subcommands.Add(List(app, tenant));
        command.Subcommands.Add(History(app, tenant));
        command.Subcommands.Add(Rollback(app, tenant));
        command.Subcommands.Add(Listen(app, tenant));
        command.Subcommands.Add(Export(app, tenant));
        command.Subcommands.Add(Import(app, tenant));
        return command;
    }

    private static Argument<string> KeyArgument() => new("config") { Description = "The config: group/dataId (a bare dataId is in DEFAULT_GROUP)." };

    private static GroveConfigKey KeyOf(ParseResult r, Argument<string> key, Option<string?> tenant) =>
        GroveConfigKey.Parse(r.GetValue(key)!, r.GetValue(tenant) ?? "");

    /// <summary>The config backend of this command: the server of <c>--server</c>, else the data folder.</summary>
    internal static async Task<IConfigBackend> OpenAsync(CommandSession s, CancellationToken ct)
    {
        if (s.Server is { } server)
        {
            return new RemoteConfigBackend(BackendFactory.OpenClient(server, s.Host));
        }

        var settings = s.Settings;
        await settings.EnsureInitializedAsync(ct);

        return await LocalConfigBackend.OpenAsync(settings, ct);
    }

    private static Command Get(CliApp app, Option<string?> tenant)
    {
        var key = KeyArgument();
        var command = new Command("get", "Print a config's content (with --json: its content and metadata).") { key };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var backend = await OpenAsync(s, ct);
            var k = KeyOf(r, key, tenant);
            var config = await backend.GetAsync(k, ct) ?? throw new CliException("not_found", $"no config {k}");
            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w => Write(w, config));
            }
            else
            {
                using var content = new MemoryStream(Encoding.UTF8.GetBytes(config.Content ?? ""));
                await BinaryOutput.CopyAsync(content, s.Out, ct);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Publish(CliApp app, Option<string?> tenant)
    {
        var key = KeyArgument();
        var file = new Argument<string?>("file") { Description = "Where the content comes from: a file, or - for standard input.", Arity = ArgumentArity.ZeroOrOne };
        var text = new Option<string?>("--content", "-c") { Description = "The content itself instead of a file.", HelpName = "text" };
        var type = new Option<string?>("--type", "-t") { Description = "text, json, yaml, properties, xml or html (default: from the dataId's extension; json, yaml, xml and properties are validated).", HelpName = "type" };
        var desc = new Option<string?>("--desc") { Description = "A description.", HelpName = "text" };
        var tags = new Option<string[]>("--tag") { Description = "A tag (repeatable).", HelpName = "tag" };
        var secret = new Option<bool>("--secret") { Description = "Encrypt it at rest on the server (a cipher- dataId always is)." };
        var ifMd5 = new Option<string?>("--if-md5") { Description = "Publish only if the current content has this MD5.", HelpName = "md5" };
        var command = new Command("publish", "Publish a config (create or update it).") { key, file, text, type, desc, tags, secret, ifMd5 };
        app.SetAction(command, async (s, r, ct) =>
        {
            var content = await ContentAsync(s, r.GetValue(file), r.GetValue(text), ct);
            await using var backend = await OpenAsync(s, ct);
            var k = KeyOf(r, key, tenant);
            var published = await backend.PublishAsync(k, content, new GroveConfigPublishOptions
            {
                Type = r.GetValue(type),
                Description = r.GetValue(desc),
                Tags = r.GetValue(tags) is { Length: > 0 } t ? t : null,
                Secret = r.GetValue(secret) ? true : null,
                IfMd5 = r.GetValue(ifMd5),
            }, ct);
            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w => Write(w, published));
            }
            else
            {
                s.Out.WriteLine(TerminalText.Clean($"published {k} ({published.Type}, revision {published.Revision}, md5 {published.Md5})"));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<string> ContentAsync(CommandSession s, string? file, string? text, CancellationToken ct)
    {
        if (text is not null)
        {
            return file is null ? text : throw CliException.Usage("give the content as a file or with --content, not both");
        }

        if (file is null)
        {
            throw CliException.Usage("give the content: a file, - for standard input, or --content TEXT");
        }

        Stream input = file == "-" ? s.Host.In ?? throw CliException.Usage("no standard input to read") : File.OpenRead(s.Host.LocalPath(file));
        await using (input.ConfigureAwait(false))
        {
            using var reader = new StreamReader(input, new UTF8Encoding(false, throwOnInvalidBytes: true));
            try
            {
                return await reader.ReadToEndAsync(ct);
            }
            catch (DecoderFallbackException)
            {
                throw new CliException(CliErrorCodes.InvalidArgument, $"{(file == "-" ? "standard input" : file)} is not UTF-8 text");
            }
        }
    }

    private static Command Remove(CliApp app, Option<string?> tenant)
    {
        var key = KeyArgument();
        var command = new Command("rm", "Remove a config (its history keeps the last content).") { key };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var backend = await OpenAsync(s, ct);
            var k = KeyOf(r, key, tenant);
            if (!await backend.RemoveAsync(k, ct))
            {
                throw new CliException("not_found", $"no config {k}");
            }

            s.Out.WriteLine(TerminalText.Clean($"removed {k}"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
