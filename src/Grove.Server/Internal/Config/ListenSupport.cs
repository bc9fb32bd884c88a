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
    /// <summary>
    /// The probes of parsed entries, sharing the served key's and MD5's strings where they match (a held poll
    /// keeps its probes: thousands of them should not each keep copies). Probing a secret the caller may not read is
    /// refused (its MD5 would confirm a guess).
    /// </summary>
    public static IReadOnlyList<ConfigProbe> Probes(IReadOnlyList<ProbeText.Entry> entries, ConfigEngine engine, ConfigAccess access, Principal? caller)
    {
        var probes = new ConfigProbe[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var probe = entries[i].Probe;
            if (engine.Get(probe.Key) is { } item)
            {
                if (item.Secret)
                {
                    access.DemandSecretRead(caller, item);
                }

                probe = new ConfigProbe(item.Key, string.Equals(item.Md5, probe.Md5, StringComparison.Ordinal) ? item.Md5 : probe.Md5);
            }

            probes[i] = probe;
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
    /// answer is empty). While the server stops it answers at once (held polls are released then, see
    /// <see cref="Grove.Server.Endpoints.Config.ConfigCenterSetup"/>), so clients poll again elsewhere.
    /// </summary>
    public static Task<IReadOnlyList<ConfigKey>> WaitAsync(HttpContext ctx, ConfigEngine engine, IReadOnlyList<ConfigProbe> probes, TimeSpan hold, ConfigClient client)
    {
        var stopping = ctx.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        return engine.WaitForChangesAsync(probes, stopping.IsCancellationRequested ? TimeSpan.Zero : hold, client, ctx.RequestAborted);
    }
}
