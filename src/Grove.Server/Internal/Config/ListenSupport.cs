using System.Globalization;
using Grove.Config;
using Grove.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Grove.Server.Internal.Config;

/// <summary>What the long polls of Diamond (ACM), Nacos and Grove's API share: checks, the hold time, the wait.</summary>
internal static class ListenSupport
{
    /// <summary>The probes of parsed entries; probing a secret the caller may not read is refused (its MD5 would leak it).</summary>
    public static IReadOnlyList<ConfigProbe> Probes(IReadOnlyList<ProbeText.Entry> entries, ConfigEngine engine, ConfigAccess access, Principal? caller)
    {
        var probes = new List<ConfigProbe>(entries.Count);
        foreach (var e in entries)
        {
            if (engine.Get(e.Probe.Key) is { Secret: true } item)
            {
                access.DemandSecretRead(caller, item);
            }

            probes.Add(e.Probe);
        }

        return probes;
    }

    /// <summary>
    /// How long to hold a long poll for a client that asked for <paramref name="header"/> milliseconds: that less
    /// 500 ms (so the answer beats the client's own timeout), within the server's bounds; null without the header.
    /// </summary>
    public static TimeSpan? HoldFor(string? header, ConfigServerOptions options)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        if (!long.TryParse(header.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, $"the long-poll timeout '{ConfigArgs.Shorten(header)}' is not a number of milliseconds");
        }

        var hold = TimeSpan.FromMilliseconds(Math.Max(0, ms - 500));
        return hold < options.MinLongPoll ? options.MinLongPoll : hold > options.MaxLongPoll ? options.MaxLongPoll : hold;
    }

    /// <summary>
    /// Holds the request until a probed config changes for this client or <paramref name="hold"/> passes (then the
    /// answer is empty). A server shutting down answers at once with nothing changed, so clients poll again elsewhere.
    /// </summary>
    public static async Task<IReadOnlyList<ConfigKey>> WaitAsync(HttpContext ctx, ConfigEngine engine, IReadOnlyList<ConfigProbe> probes, TimeSpan hold, ConfigClient client)
    {
        var stopping = ctx.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
        try
        {
            return await engine.WaitForChangesAsync(probes, hold, client, linked.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !ctx.RequestAborted.IsCancellationRequested)
        {
            return [];
        }
    }
}
